using System.Runtime.CompilerServices;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Memory;

/// <summary>
/// <see cref="TensorScope"/>: which tensors a scope owns (everything made on its thread while it is the innermost
/// open scope: factory and op results, views through their base), what its end disposes, how scopes nest, and the
/// ways out of a scope (<see cref="TensorScope.Keep"/>, <see cref="Tensor.DetachFromScope"/>, <see cref="Tensor.Dispose"/>),
/// including the tensors' gradients, which belong to the scope of their tensor.
/// </summary>
public sealed class TensorScopeTests
{
    [Test]
    public void Every_tensor_a_factory_creates_inside_a_scope_is_disposed_when_the_scope_ends()
    {
        Tensor[] created;
        using (Tensor.Scope())
        {
            var random = new RandomSource(1);
            created =
            [
                Tensor.Create([1f, 2f]),
                Tensor.Create([1.0, 2.0]),
                Tensor.Create(new float[,] { { 1, 2 }, { 3, 4 } }),
                Tensor.Create([1f, 2f, 3f, 4f], [2, 2]),
                Tensor.Scalar(3),
                Tensor.Zeros([3]),
                Tensor.Ones([3], DType.Float64),
                Tensor.Full([2, 2], 7),
                Tensor.Arange(5),
                Tensor.RandomNormal([4], random),
                Tensor.RandomUniform([4], random),
            ];
            created = [.. created, Tensor.ZerosLike(created[0]), Tensor.OnesLike(created[1])];
            Assert.That(created.Select(t => t.IsDisposed), Is.All.False);
        }

        Assert.That(created.Select(t => t.IsDisposed), Is.All.True);
    }

    [Test]
    public void Every_op_result_inside_a_scope_is_disposed_when_the_scope_ends_even_from_inputs_made_before_it()
    {
        Tensor a = Tensor.Create([1f, -2f, 3f, -4f], [2, 2]);
        Tensor b = Tensor.Create([0.5f, 0.25f, 2f, 1f], [2, 2]);
        Tensor[] results;
        using (Tensor.Scope())
        {
            results = [a + b, a * 2, a.MatMul(b), a.Relu(), a.Sum(), a.Sum(0), a.ToDType(DType.Float64), a.Affine(b), Tensor.MseLoss(a, b)];
        }

        Assert.That(results.Select(t => t.IsDisposed), Is.All.True);
        Assert.That(a.IsDisposed, Is.False, "made before the scope");
        Assert.That(b.IsDisposed, Is.False, "made before the scope");
    }

    [Test]
    public void A_view_of_a_scoped_tensor_is_disposed_with_its_base()
    {
        Tensor reshaped, detached;
        using (Tensor.Scope())
        {
            Tensor t = Tensor.Zeros([2, 3]);
            reshaped = t.Reshape(6);
            detached = t.Detach();
        }

        Assert.That(reshaped.IsDisposed, Is.True);
        Assert.That(detached.IsDisposed, Is.True);
    }

    [Test]
    public void A_view_made_in_a_scope_of_a_tensor_made_before_it_is_not_disposed()
    {
        Tensor t = Tensor.Create([1f, 2f, 3f, 4f]);
        Tensor view;
        using (Tensor.Scope())
        {
            view = t.Reshape(2, 2);
        }

        Assert.That(view.IsDisposed, Is.False);
        Assert.That(view.ToArray<float>(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
    }

    [Test]
    public void A_tensor_made_after_a_scope_ended_is_not_owned_by_it_nor_by_the_next_scope()
    {
        TensorScope first = Tensor.Scope();
        first.Dispose();
        Tensor t = Tensor.Ones([3]);
        using (Tensor.Scope())
        {
            _ = Tensor.Ones([3]);
        }

        Assert.That(t.IsDisposed, Is.False);
    }

    [Test]
    public void A_scope_is_open_from_its_beginning_to_its_end()
    {
        TensorScope scope = Tensor.Scope();
        Assert.That(scope.IsOpen, Is.True);

        scope.Dispose();
        Assert.That(scope.IsOpen, Is.False);
    }

    [Test]
    public void The_default_scope_is_not_open_and_disposing_it_does_nothing()
    {
        TensorScope scope = default;

        Assert.That(scope.IsOpen, Is.False);
        Assert.DoesNotThrow(scope.Dispose);
        Assert.Throws<ObjectDisposedException>(() => scope.Keep(Tensor.Zeros([1])));
    }

    [Test]
    public void Ending_an_inner_scope_disposes_its_tensors_but_not_the_outer_scopes()
    {
        using TensorScope outer = Tensor.Scope();
        Tensor before = Tensor.Ones([2]);
        Tensor inInner;
        using (Tensor.Scope())
        {
            inInner = Tensor.Ones([2]);
        }

        Tensor after = Tensor.Ones([2]);

        Assert.That(inInner.IsDisposed, Is.True);
        Assert.That(before.IsDisposed, Is.False);
        Assert.That(after.IsDisposed, Is.False, "made in the outer scope once the inner one ended");
        Assert.That(outer.IsOpen, Is.True);
    }

    [Test]
    public void Ending_an_outer_scope_ends_the_inner_scopes_still_open_and_disposes_their_tensors()
    {
        TensorScope outer = Tensor.Scope();
        Tensor inOuter = Tensor.Ones([2]);
        TensorScope middle = Tensor.Scope();
        Tensor inMiddle = Tensor.Ones([2]);
        TensorScope inner = Tensor.Scope();
        Tensor inInner = Tensor.Ones([2]);

        outer.Dispose();

        Assert.That(new[] { outer.IsOpen, middle.IsOpen, inner.IsOpen }, Is.All.False);
        Assert.That(new[] { inOuter.IsDisposed, inMiddle.IsDisposed, inInner.IsDisposed }, Is.All.True);
        Tensor afterwards = Tensor.Ones([2]);
        using (Tensor.Scope())
        {
        }

        Assert.That(afterwards.IsDisposed, Is.False, "no scope is open any more");
    }

    [Test]
    public void Ending_a_middle_scope_ends_the_inner_one_but_leaves_the_outer_one_open()
    {
        using TensorScope outer = Tensor.Scope();
        Tensor inOuter = Tensor.Ones([2]);
        TensorScope middle = Tensor.Scope();
        TensorScope inner = Tensor.Scope();
        Tensor inInner = Tensor.Ones([2]);

        middle.Dispose();
        Tensor afterwards = Tensor.Ones([2]);

        Assert.That(inner.IsOpen, Is.False);
        Assert.That(outer.IsOpen, Is.True);
        Assert.That(inInner.IsDisposed, Is.True);
        Assert.That(inOuter.IsDisposed, Is.False);
        outer.Dispose();
        Assert.That(afterwards.IsDisposed, Is.True, "made in the outer scope once the others ended");
    }

    [Test]
    public void Disposing_a_scope_twice_does_nothing_the_second_time_even_when_a_new_scope_has_taken_its_place()
    {
        TensorScope first = Tensor.Scope();
        first.Dispose();
        using TensorScope second = Tensor.Scope();
        Tensor t = Tensor.Ones([2]);

        first.Dispose();

        Assert.That(second.IsOpen, Is.True);
        Assert.That(first.IsOpen, Is.False);
        Assert.That(t.IsDisposed, Is.False);
    }

    [Test]
    public void Disposing_an_inner_scope_that_an_outer_one_already_ended_does_not_end_a_newer_scope()
    {
        TensorScope outer = Tensor.Scope();
        TensorScope inner = Tensor.Scope();
        outer.Dispose();
        using TensorScope newOuter = Tensor.Scope();
        using TensorScope newInner = Tensor.Scope();
        Tensor t = Tensor.Ones([2]);

        inner.Dispose();

        Assert.That(newInner.IsOpen, Is.True);
        Assert.That(newOuter.IsOpen, Is.True);
        Assert.That(t.IsDisposed, Is.False);
    }

    [Test]
    public void Keep_moves_a_tensor_to_the_enclosing_scope()
    {
        Tensor kept;
        using (TensorScope outer = Tensor.Scope())
        {
            using (TensorScope inner = Tensor.Scope())
            {
                kept = inner.Keep(Tensor.Full([3], 5));
            }

            Assert.That(kept.IsDisposed, Is.False, "kept past the inner scope");
            Assert.That(kept.ToArray<float>(), Is.All.EqualTo(5f));
        }

        Assert.That(kept.IsDisposed, Is.True, "owned by the outer scope, disposed with it");
    }

    [Test]
    public void Keep_in_the_outermost_scope_leaves_the_tensor_to_the_garbage_collector()
    {
        Tensor kept;
        using (TensorScope scope = Tensor.Scope())
        {
            kept = scope.Keep(Tensor.Full([3], 5));
        }

        using (Tensor.Scope())
        {
        }

        Assert.That(kept.IsDisposed, Is.False);
        Assert.That(kept.ToArray<float>(), Is.All.EqualTo(5f));
    }

    [Test]
    public void Keep_returns_the_tensor_it_was_given()
    {
        using TensorScope scope = Tensor.Scope();
        Tensor t = Tensor.Ones([2]);

        Assert.That(scope.Keep(t), Is.SameAs(t));
    }

    [Test]
    public void Keep_on_an_outer_scope_moves_a_tensor_out_of_a_scope_nested_in_it_too()
    {
        Tensor kept;
        using (TensorScope outer = Tensor.Scope())
        {
            using (Tensor.Scope())
            {
                kept = outer.Keep(Tensor.Full([3], 2));
            }
        }

        Assert.That(kept.IsDisposed, Is.False);
    }

    [Test]
    public void Keep_leaves_alone_a_tensor_owned_by_an_enclosing_scope()
    {
        Tensor inOuter;
        using (Tensor.Scope())
        {
            inOuter = Tensor.Ones([2]);
            using (TensorScope inner = Tensor.Scope())
            {
                inner.Keep(inOuter);
            }

            Assert.That(inOuter.IsDisposed, Is.False);
        }

        Assert.That(inOuter.IsDisposed, Is.True, "still the outer scope's, not moved out of it");
    }

    [Test]
    public void Keep_leaves_alone_a_tensor_made_before_every_scope()
    {
        Tensor before = Tensor.Ones([2]);
        using (Tensor.Scope())
        {
            using TensorScope inner = Tensor.Scope();
            inner.Keep(before);
        }

        Assert.That(before.IsDisposed, Is.False);
    }

    [Test]
    public void Keep_after_the_scope_ended_throws()
    {
        TensorScope scope = Tensor.Scope();
        Tensor t = Tensor.Ones([2]);
        scope.Dispose();

        Assert.Throws<ObjectDisposedException>(() => scope.Keep(t));
    }

    [Test]
    public void Keep_of_null_throws()
    {
        using TensorScope scope = Tensor.Scope();

        Assert.Throws<ArgumentNullException>(() => scope.Keep(null!));
    }

    [Test]
    public void Keep_of_a_view_keeps_the_tensor_that_owns_its_storage()
    {
        Tensor owner, view;
        using (TensorScope scope = Tensor.Scope())
        {
            owner = Tensor.Create([1f, 2f, 3f, 4f, 5f, 6f]);
            view = scope.Keep(owner.Reshape(2, 3));
        }

        Assert.That(owner.IsDisposed, Is.False);
        Assert.That(view.IsDisposed, Is.False);
        Assert.That(view.ToArray<float>(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f, 6f }));
    }

    [Test]
    public void A_kept_tensor_keeps_its_values_while_later_scopes_reuse_buffers_of_its_length()
    {
        float[] values = [.. Enumerable.Range(1, 12).Select(i => (float)i)];
        Tensor kept;
        using (TensorScope scope = Tensor.Scope())
        {
            _ = Tensor.Zeros([12]); // a buffer of the same length, returned at the end
            kept = scope.Keep(Tensor.Create(values, [3, 4]));
        }

        TensorPoolStatistics before = TensorPool.Statistics;
        for (int step = 0; step < 20; step++)
        {
            using (Tensor.Scope())
            {
                Tensor a = Tensor.Full([12], -step);
                Tensor b = Tensor.Full([3, 4], 1000 + step);
                _ = (a + b.Reshape(12)).Relu();
            }
        }

        Assert.That(TensorPool.Statistics.Allocated - before.Allocated, Is.LessThanOrEqualTo(3), "the later scopes did reuse buffers of that length");
        Assert.That(kept.ToArray<float>(), Is.EqualTo(values));
    }

    [Test]
    public void DetachFromScope_takes_a_tensor_out_of_every_scope()
    {
        Tensor detached;
        using (Tensor.Scope())
        {
            using (Tensor.Scope())
            {
                detached = Tensor.Full([3], 4).DetachFromScope();
            }

            Assert.That(detached.IsDisposed, Is.False);
        }

        Assert.That(detached.IsDisposed, Is.False);
        Assert.That(detached.ToArray<float>(), Is.All.EqualTo(4f));
    }

    [Test]
    public void DetachFromScope_returns_the_tensor_it_was_called_on()
    {
        using TensorScope scope = Tensor.Scope();
        Tensor t = Tensor.Ones([2]);

        Assert.That(t.DetachFromScope(), Is.SameAs(t));
    }

    [Test]
    public void DetachFromScope_of_a_view_detaches_the_tensor_that_owns_its_storage()
    {
        Tensor owner, view;
        using (Tensor.Scope())
        {
            owner = Tensor.Create([1f, 2f, 3f, 4f]);
            view = owner.Reshape(2, 2).DetachFromScope();
        }

        Assert.That(owner.IsDisposed, Is.False);
        Assert.That(view.ToArray<float>(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
    }

    [Test]
    public void A_tensor_disposed_inside_a_scope_leaves_it_and_is_not_returned_again_at_its_end()
    {
        TensorPoolStatistics before;
        Tensor disposedEarly, successor;
        using (Tensor.Scope())
        {
            Tensor other = Tensor.Ones([9]);
            disposedEarly = Tensor.Ones([9]);
            before = TensorPool.Statistics;
            disposedEarly.Dispose();
            Assert.That(TensorPool.Statistics.Returned - before.Returned, Is.EqualTo(1));
            successor = Tensor.Full([9], 8).DetachFromScope(); // takes the returned buffer
            Assert.That(other.IsDisposed, Is.False);
        }

        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.That(after.Returned - before.Returned, Is.EqualTo(2), "the early one once, then the other one");
        Assert.That(successor.ToArray<float>(), Is.All.EqualTo(8f));
    }

    [Test]
    public void A_tensor_disposed_inside_a_scope_is_no_longer_held_by_it()
    {
        using TensorScope scope = Tensor.Scope();
        WeakReference disposed = MakeTensor(dispose: true);
        WeakReference owned = MakeTensor(dispose: false);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.That(owned.IsAlive, Is.True, "the control: the scope holds the tensors it owns");
        Assert.That(disposed.IsAlive, Is.False);
    }

    [Test]
    public void Disposing_and_keeping_tensors_in_any_order_leaves_exactly_the_others_to_the_scope()
    {
        const int Count = 40;
        var tensors = new Tensor[Count];
        var kept = new bool[Count];
        var disposedEarly = new bool[Count];
        TensorPoolStatistics before;
        using (TensorScope scope = Tensor.Scope())
        {
            for (int i = 0; i < Count; i++)
            {
                tensors[i] = Tensor.Full([i + 1], i);
            }

            before = TensorPool.Statistics;

            // An order that removes from the front, the back and the middle of the scope's list, interleaved.
            int[] order = [0, Count - 1, 17, 5, 33, 1, 20, 21, 38, 12, 2, 30, 9, 26];
            for (int k = 0; k < order.Length; k++)
            {
                int i = order[k];
                if (k % 3 == 0)
                {
                    scope.Keep(tensors[i]);
                    kept[i] = true;
                }
                else if (k % 3 == 1)
                {
                    tensors[i].Dispose();
                    disposedEarly[i] = true;
                }
                else
                {
                    tensors[i].DetachFromScope();
                    kept[i] = true;
                }
            }
        }

        TensorPoolStatistics after = TensorPool.Statistics;
        for (int i = 0; i < Count; i++)
        {
            Assert.That(tensors[i].IsDisposed, Is.EqualTo(!kept[i]), $"tensor {i}");
            if (kept[i])
            {
                Assert.That(tensors[i].ToArray<float>(), Is.All.EqualTo((float)i), $"tensor {i}");
            }
        }

        Assert.That(after.Returned - before.Returned, Is.EqualTo(Count - kept.Count(k => k)), "each tensor not kept returned once");
    }

    [Test]
    public void Disposing_a_scope_on_another_thread_throws_and_leaves_it_open()
    {
        using TensorScope scope = Tensor.Scope();
        Tensor t = Tensor.Ones([2]);

        Exception? error = OnAnotherThread(scope.Dispose);

        Assert.That(error, Is.TypeOf<InvalidOperationException>());
        Assert.That(scope.IsOpen, Is.True);
        Assert.That(t.IsDisposed, Is.False);
    }

    [Test]
    public void DetachFromScope_on_another_thread_than_the_scopes_is_refused_and_leaves_the_tensor_in_it()
    {
        Tensor t;
        Exception? error;
        using (Tensor.Scope())
        {
            t = Tensor.Ones([2]);
            error = OnAnotherThread(() => t.DetachFromScope());
        }

        Assert.That(error, Is.TypeOf<InvalidOperationException>().With.Message.Contain("DetachFromScope").And.Message.Contain("[2]").And.Message.Contain("another thread"));
        Assert.That(t.IsDisposed, Is.True, "still owned by the scope, which disposed it");
    }

    [Test]
    public void Keep_on_another_thread_than_the_scopes_is_refused_and_leaves_the_tensor_in_it()
    {
        Tensor t;
        Exception? error;
        using (TensorScope scope = Tensor.Scope())
        {
            t = Tensor.Ones([2]);
            error = OnAnotherThread(() => scope.Keep(t));
        }

        Assert.That(error, Is.TypeOf<InvalidOperationException>().With.Message.Contain("Keep").And.Message.Contain("another thread"));
        Assert.That(t.IsDisposed, Is.True, "still owned by the scope, which disposed it");
    }

    [Test]
    public void A_tensor_made_on_another_thread_is_not_owned_by_this_threads_scope()
    {
        Tensor? elsewhere = null;
        using (Tensor.Scope())
        {
            Assert.That(OnAnotherThread(() => elsewhere = Tensor.Ones([2])), Is.Null);
        }

        Assert.That(elsewhere!.IsDisposed, Is.False);
    }

    [Test]
    public void A_scope_on_another_thread_does_not_own_this_threads_tensors()
    {
        TensorScope other = default;
        using var begun = new ManualResetEventSlim();
        using var made = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            other = Tensor.Scope();
            begun.Set();
            made.Wait();
            other.Dispose();
        });
        thread.Start();
        begun.Wait();
        Tensor here = Tensor.Ones([2]);
        made.Set();
        thread.Join();

        Assert.That(here.IsDisposed, Is.False);
    }

    [Test]
    public void A_parameter_made_before_the_scopes_keeps_its_gradient_across_them()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f]).RequireGrad();
        for (int step = 0; step < 3; step++)
        {
            using (Tensor.Scope())
            {
                Tensor x = Tensor.Create([4f, 5f, 6f]);
                (x * w).Sum().Backward();
            }

            Assert.That(w.Grad!.IsDisposed, Is.False);
        }

        Assert.That(w.Grad!.ToArray<float>(), Is.EqualTo(new[] { 12f, 15f, 18f }));
    }

    [Test]
    public void A_leaf_made_inside_a_scope_has_its_gradient_disposed_with_it()
    {
        Tensor leaf, grad;
        using (Tensor.Scope())
        {
            leaf = Tensor.Create([1f, 2f]).RequireGrad();
            (leaf * leaf).Sum().Backward();
            grad = leaf.Grad!;
            Assert.That(grad.ToArray<float>(), Is.EqualTo(new[] { 2f, 4f }));
        }

        Assert.That(leaf.IsDisposed, Is.True);
        Assert.That(grad.IsDisposed, Is.True);
    }

    [Test]
    public void A_gradient_belongs_to_the_scope_of_its_tensor_not_to_the_scope_Backward_ran_in()
    {
        Tensor leaf;
        using (Tensor.Scope())
        {
            leaf = Tensor.Create([1f, 2f]).RequireGrad();
            using (Tensor.Scope())
            {
                (leaf * 3).Sum().Backward();
            }

            Assert.That(leaf.Grad!.IsDisposed, Is.False);
            Assert.That(leaf.Grad.ToArray<float>(), Is.EqualTo(new[] { 3f, 3f }));
        }

        Assert.That(leaf.Grad.IsDisposed, Is.True);
    }

    [Test]
    public void Keep_moves_the_gradient_with_the_tensor()
    {
        Tensor leaf;
        using (TensorScope scope = Tensor.Scope())
        {
            leaf = Tensor.Create([1f, 2f]).RequireGrad();
            (leaf * leaf).Sum().Backward();
            scope.Keep(leaf);
        }

        Assert.That(leaf.Grad!.IsDisposed, Is.False);
        Assert.That(leaf.Grad.ToArray<float>(), Is.EqualTo(new[] { 2f, 4f }));
    }

    [Test]
    public void DetachFromScope_takes_the_gradient_along()
    {
        Tensor leaf;
        using (Tensor.Scope())
        {
            leaf = Tensor.Create([1f, 2f]).RequireGrad();
            (leaf * leaf).Sum().Backward();
            leaf.DetachFromScope();
        }

        Assert.That(leaf.Grad!.IsDisposed, Is.False);
        Assert.That(leaf.Grad.ToArray<float>(), Is.EqualTo(new[] { 2f, 4f }));
    }

    [Test]
    public void A_gradient_made_after_Keep_belongs_to_the_scope_the_tensor_moved_to()
    {
        Tensor leaf;
        using (TensorScope scope = Tensor.Scope())
        {
            leaf = scope.Keep(Tensor.Create([1f, 2f]).RequireGrad());
            (leaf * 5).Sum().Backward();
        }

        Assert.That(leaf.Grad!.IsDisposed, Is.False);
        Assert.That(leaf.Grad.ToArray<float>(), Is.EqualTo(new[] { 5f, 5f }));
    }

    [Test]
    public void Keep_of_a_detached_leaf_keeps_its_gradient()
    {
        Tensor leaf;
        using (TensorScope scope = Tensor.Scope())
        {
            leaf = Tensor.Create([1f, 2f]).Detach().RequireGrad();
            (leaf * leaf).Sum().Backward();
            scope.Keep(leaf);
        }

        Assert.That(leaf.IsDisposed, Is.False);
        Assert.That(leaf.Grad!.IsDisposed, Is.False);
        Assert.That(leaf.Grad.ToArray<float>(), Is.EqualTo(new[] { 2f, 4f }));
    }

    [Test]
    public void DetachFromScope_of_a_detached_leaf_takes_its_gradient_along()
    {
        Tensor leaf;
        using (Tensor.Scope())
        {
            leaf = Tensor.Create([1f, 2f]).Detach().RequireGrad();
            (leaf * leaf).Sum().Backward();
            leaf.DetachFromScope();
        }

        Assert.That(leaf.IsDisposed, Is.False);
        Assert.That(leaf.Grad!.IsDisposed, Is.False);
        Assert.That(leaf.Grad.ToArray<float>(), Is.EqualTo(new[] { 2f, 4f }));
    }

    [Test]
    public void A_retained_gradient_of_an_intermediate_is_readable_until_the_scope_ends()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f]).RequireGrad();
        Tensor hidden, grad;
        using (Tensor.Scope())
        {
            hidden = w * 2;
            hidden.RetainGrad();
            (hidden * hidden).Sum().Backward();
            grad = hidden.Grad!;

            Assert.That(grad.ToArray<float>(), Is.EqualTo(new[] { 4f, 8f, 12f }));
        }

        Assert.That(hidden.IsDisposed, Is.True);
        Assert.That(grad.IsDisposed, Is.True);
        Assert.That(w.Grad!.ToArray<float>(), Is.EqualTo(new[] { 8f, 16f, 24f }));
    }

    [Test]
    public void Keep_of_an_intermediate_keeps_its_retained_gradient()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f]).RequireGrad();
        Tensor hidden;
        using (TensorScope scope = Tensor.Scope())
        {
            hidden = w * 2;
            hidden.RetainGrad();
            (hidden * hidden).Sum().Backward();
            scope.Keep(hidden);
        }

        Assert.That(hidden.Grad!.IsDisposed, Is.False);
        Assert.That(hidden.Grad.ToArray<float>(), Is.EqualTo(new[] { 4f, 8f, 12f }));
    }

    [Test]
    public void Keep_of_a_reshaped_intermediate_keeps_its_retained_gradient()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f, 4f]).RequireGrad();
        Tensor hidden;
        using (TensorScope scope = Tensor.Scope())
        {
            hidden = (w * 2).Reshape(2, 2);
            hidden.RetainGrad();
            (hidden * hidden).Sum().Backward();
            scope.Keep(hidden);
        }

        Assert.That(hidden.IsDisposed, Is.False);
        Assert.That(hidden.Grad!.IsDisposed, Is.False);
        Assert.That(hidden.Grad.ToArray<float>(), Is.EqualTo(new[] { 4f, 8f, 12f, 16f }));
    }

    [Test]
    public void Backward_after_the_scope_of_the_graph_ended_throws_and_leaves_the_gradients_as_they_were()
    {
        var random = new RandomSource(5);
        Tensor w = Tensor.RandomNormal([3, 4], random).RequireGrad();
        Tensor b = Tensor.RandomNormal([3], random).RequireGrad();
        Tensor x = Tensor.RandomNormal([5, 4], random);
        Tensor y = Tensor.RandomNormal([5, 3], random);
        Tensor.MseLoss(x.Affine(w, b).Relu(), y).Backward();
        long[] wGrad = TestTensors.Bits(w.Grad!), bGrad = TestTensors.Bits(b.Grad!);
        Tensor loss;
        using (Tensor.Scope())
        {
            loss = Tensor.MseLoss(x.Affine(w, b).Relu(), y);
        }

        ObjectDisposedException? error = Assert.Throws<ObjectDisposedException>(() => loss.Backward());

        Assert.That(error!.Message, Does.Contain("shape [5, 3]").And.Contain("scope.Keep"));
        Assert.That(TestTensors.Bits(w.Grad!), Is.EqualTo(wGrad));
        Assert.That(TestTensors.Bits(b.Grad!), Is.EqualTo(bGrad));
    }

    [Test]
    public void Keeping_only_the_loss_does_not_keep_the_graph_behind_it()
    {
        Tensor w = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor loss;
        using (TensorScope scope = Tensor.Scope())
        {
            Tensor x = Tensor.Create([3f, 4f]);
            loss = scope.Keep((x * w).Sum());
        }

        Assert.That(loss.Item(), Is.EqualTo(11));
        Assert.Throws<ObjectDisposedException>(() => loss.Backward());
    }

    [Test]
    public void A_Backward_that_fails_on_a_disposed_tensor_gives_no_gradient_to_a_parameter_that_had_none()
    {
        Tensor w = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor loss;
        using (TensorScope scope = Tensor.Scope())
        {
            Tensor x = Tensor.Create([3f, 4f]);
            loss = scope.Keep((x * w).Sum());
        }

        Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        Assert.That(w.Grad, Is.Null);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_Backward_that_fails_on_a_disposed_tensor_leaves_the_gradients_of_the_other_branches_as_they_were(bool disposedBranchFirst)
    {
        Tensor w1 = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor w2 = Tensor.Create([3f, 4f]).RequireGrad();
        Tensor loss;
        using (TensorScope scope = Tensor.Scope())
        {
            Tensor x = Tensor.Create([5f, 6f]);
            Tensor clean = (w1 + w1).Sum(), needingX = (x * w2).Sum();
            loss = scope.Keep(disposedBranchFirst ? needingX + clean : clean + needingX);
        }

        Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        Assert.That(w1.Grad, Is.Null, "the branch that needs no disposed tensor");
        Assert.That(w2.Grad, Is.Null, "the branch that does");
    }

    [Test]
    public void Backward_inside_the_scope_gives_the_same_gradients_as_without_one()
    {
        var random = new RandomSource(6);
        Tensor w = Tensor.RandomNormal([3, 4], random).RequireGrad();
        Tensor x = Tensor.RandomNormal([5, 4], random);
        Tensor y = Tensor.RandomNormal([5, 3], random);
        Tensor.MseLoss(x.MatMul(w.Reshape(4, 3)).Relu() * 2, y).Backward();
        long[] expected = TestTensors.Bits(w.Grad!);
        w.ZeroGrad(setToNone: true);

        using (Tensor.Scope())
        {
            Tensor.MseLoss(x.MatMul(w.Reshape(4, 3)).Relu() * 2, y).Backward();
        }

        Assert.That(TestTensors.Bits(w.Grad!), Is.EqualTo(expected));
    }

    [Test]
    public void Float64_tensors_go_through_scopes_like_float32_ones()
    {
        Tensor w = Tensor.Create([1.0, 2.0, 3.0]).RequireGrad();
        Tensor kept, dropped;
        using (TensorScope scope = Tensor.Scope())
        {
            Tensor x = Tensor.Create([0.5, 0.25, 0.125]);
            dropped = x * w;
            kept = scope.Keep(dropped.Sum());
            kept.Backward();
        }

        Assert.That(dropped.IsDisposed, Is.True);
        Assert.That(kept.DType, Is.EqualTo(DType.Float64));
        Assert.That(kept.Item(), Is.EqualTo(1.375));
        Assert.That(w.Grad!.ToArray<double>(), Is.EqualTo(new[] { 0.5, 0.25, 0.125 }));
    }

    [Test]
    public void Empty_tensors_go_through_scopes()
    {
        Tensor empty, sum, kept;
        using (TensorScope scope = Tensor.Scope())
        {
            empty = Tensor.Zeros([0, 3]);
            sum = empty.Sum();
            kept = scope.Keep(Tensor.Ones([0], DType.Float64));
            Assert.That(sum.Item(), Is.Zero);
        }

        Assert.That(empty.IsDisposed, Is.True);
        Assert.That(sum.IsDisposed, Is.True);
        Assert.That(kept.IsDisposed, Is.False);
        Assert.That(kept.ToArray<double>(), Is.Empty);
    }

    /// <summary>Runs <paramref name="action"/> on a new thread and returns what it threw, or null.</summary>
    private static Exception? OnAnotherThread(Action action)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return error;
    }

    /// <summary>Makes a tensor in the current scope, disposes it if asked, and returns only a weak reference to it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference MakeTensor(bool dispose)
    {
        Tensor t = Tensor.Zeros([3]);
        if (dispose)
        {
            t.Dispose();
        }

        return new WeakReference(t);
    }
}
