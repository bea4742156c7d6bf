using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Autodiff;

public sealed class TapeTests
{
    [Test]
    public void Gradients_accumulate_across_Backward_calls_until_zeroed()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();

        (x * 3).Sum().Backward();
        (x * 3).Sum().Backward();
        TestTensors.AssertClose(x.Grad!, [6, 6], 0);

        x.ZeroGrad();
        (x * 3).Sum().Backward();
        TestTensors.AssertClose(x.Grad!, [3, 3], 0);
    }

    [Test]
    public void A_walk_through_a_released_part_of_a_graph_fails_before_changing_any_gradient()
    {
        Tensor leaf = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();
        Tensor w = Tensor.Create(new[] { 3.0, 4.0 }).RequireGrad();
        Tensor hidden = leaf.Exp();
        hidden.Sum().Backward(); // releases Exp's record

        Tensor loss = (hidden * w).Sum(); // Multiply's rule would reach w before Exp's released record
        Assert.That(() => loss.Backward(), Throws.InvalidOperationException.With.Message.Contain("released"));

        Assert.That(w.Grad, Is.Null, "no gradient changed");
    }

    [Test]
    public void A_tensor_used_twice_receives_the_sum_of_both_gradients()
    {
        Tensor x = Tensor.Create(new[] { 1.5, -2.0 }).RequireGrad();

        (x * x).Sum().Backward();
        TestTensors.AssertClose(x.Grad!, [3, -4], 0);

        x.ZeroGrad();
        (x + x).Sum().Backward();
        TestTensors.AssertClose(x.Grad!, [2, 2], 0);
    }

    [Test]
    public void Inputs_that_need_no_gradient_get_none()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();
        Tensor constant = Tensor.Create(new[] { 3.0, 4.0 });

        (x * constant).Sum().Backward();

        Assert.That(constant.Grad, Is.Null);
        TestTensors.AssertClose(x.Grad!, [3, 4], 0);
    }

    [Test]
    public void Ops_inside_NoGrad_are_not_recorded()
    {
        Tensor x = Tensor.Ones([2]).RequireGrad();
        Tensor y;
        using (Tensor.NoGrad())
        {
            y = x * 2;
            Assert.That(Tensor.IsGradEnabled, Is.False);
        }

        Assert.That(Tensor.IsGradEnabled, Is.True);
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.IsLeaf, Is.True);
        Assert.That(() => y.Sum().Backward(), Throws.InvalidOperationException.With.Message.Contains("does not require a gradient"));
    }

    [Test]
    public void EnableGrad_records_again_inside_NoGrad_and_scopes_nest()
    {
        Tensor x = Tensor.Ones([2]).RequireGrad();
        using (Tensor.NoGrad())
        {
            using (Tensor.EnableGrad())
            {
                Assert.That((x * 2).RequiresGrad, Is.True);
            }

            using (Tensor.NoGrad())
            {
                Assert.That(Tensor.IsGradEnabled, Is.False);
            }

            Assert.That(Tensor.IsGradEnabled, Is.False);
        }

        Assert.That(Tensor.IsGradEnabled, Is.True);
    }

    [Test]
    public void Grad_mode_belongs_to_one_thread()
    {
        using (Tensor.NoGrad())
        {
            bool otherThread = Task.Run(() => Tensor.IsGradEnabled).Result;
            Assert.That(otherThread, Is.True);
        }
    }

    [Test]
    public void Detach_cuts_a_path_from_the_graph_and_shares_storage()
    {
        Tensor x = Tensor.Create(new[] { 2.0, 3.0 }).RequireGrad();
        Tensor detached = x.Detach();

        (x * detached).Sum().Backward();

        TestTensors.AssertClose(x.Grad!, [2, 3], 0);
        Assert.That(detached.RequiresGrad, Is.False);
        Assert.That(detached.IsLeaf, Is.True);
        using (Tensor.NoGrad())
        {
            x.AddInPlace(Tensor.Ones([2], DType.Float64));
        }

        Assert.That(detached[0], Is.EqualTo(3.0));
    }

    [Test]
    public void Backward_of_a_non_scalar_takes_an_explicit_seed_gradient()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0, 3.0, 4.0 }, [2, 2]).RequireGrad();

        (x * x).Backward(Tensor.Create(new[] { 1.0, 0.0, 0.5, 2.0 }, [2, 2]));

        TestTensors.AssertClose(x.Grad!, [2, 0, 3, 16], 0);
    }

    [Test]
    public void Backward_of_a_non_scalar_without_a_seed_throws_and_names_the_shape()
    {
        Tensor x = Tensor.Ones([2, 3]).RequireGrad();

        Assert.That(() => (x * 2).Backward(), Throws.InvalidOperationException.With.Message.Contains("[2, 3]"));
    }

    [Test]
    public void A_seed_of_the_wrong_shape_throws_and_names_both_shapes()
    {
        Tensor x = Tensor.Ones([2, 3]).RequireGrad();

        Assert.That(
            () => (x * 2).Backward(Tensor.Ones([3, 2])),
            Throws.ArgumentException.With.Message.Contains("[3, 2]").And.Message.Contains("[2, 3]"));
    }

    [Test]
    public void Backward_on_a_tensor_nothing_recorded_throws()
    {
        Tensor x = Tensor.Ones([1]);

        Assert.That(() => (x * 2).Backward(), Throws.InvalidOperationException.With.Message.Contains("does not require a gradient"));
        Assert.That(() => x.Backward(), Throws.InvalidOperationException);
    }

    [Test]
    public void Backward_on_a_leaf_that_requires_a_gradient_seeds_it()
    {
        Tensor x = Tensor.Scalar(5).RequireGrad();

        x.Backward();

        Assert.That(x.Grad!.Item(), Is.EqualTo(1.0));
    }

    [Test]
    public void A_second_Backward_through_a_released_graph_throws_and_says_how_to_keep_it()
    {
        Tensor x = Tensor.Ones([2]).RequireGrad();
        Tensor loss = (x * x).Sum();
        loss.Backward();

        Assert.That(() => loss.Backward(), Throws.InvalidOperationException.With.Message.Contains("retainGraph"));
    }

    [Test]
    public void RetainGraph_allows_a_second_Backward()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();
        Tensor loss = (x * x).Sum();

        loss.Backward(retainGraph: true);
        loss.Backward();

        TestTensors.AssertClose(x.Grad!, [4, 8], 0);
        Assert.That(() => loss.Backward(), Throws.InvalidOperationException);
    }

    [Test]
    public void A_tensor_computed_from_a_released_graph_can_be_evaluated_but_not_differentiated()
    {
        Tensor x = Tensor.Ones([2]).RequireGrad();
        Tensor hidden = x * 3;
        hidden.Sum().Backward();

        Tensor later = hidden * 2;

        TestTensors.AssertClose(later, [6, 6], 0);
        Assert.That(() => later.Sum().Backward(), Throws.InvalidOperationException.With.Message.Contains("released"));
    }

    [Test]
    public void Two_losses_sharing_a_trunk_are_differentiated_together_by_their_sum()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();
        Tensor trunk = x * x;
        Tensor first = trunk.Sum();
        Tensor second = (trunk * 3).Sum();

        (first + second).Backward();

        TestTensors.AssertClose(x.Grad!, [8, 16], 0);
    }

    [Test]
    public void Separately_recorded_computations_merge_when_combined()
    {
        Tensor a = Tensor.Create(new[] { 2.0 }).RequireGrad();
        Tensor b = Tensor.Create(new[] { 3.0 }).RequireGrad();
        Tensor c = Tensor.Create(new[] { 5.0 }).RequireGrad();
        Tensor ab = a * b;
        Tensor bc = b * c;
        Tensor longer = (bc + 1) * 2;

        (ab + longer).Sum().Backward();

        TestTensors.AssertClose(a.Grad!, [3], 0);
        TestTensors.AssertClose(b.Grad!, [2 + 10], 0);
        TestTensors.AssertClose(c.Grad!, [6], 0);
    }

    [Test]
    public void Only_leaves_keep_gradients_unless_RetainGrad_is_asked()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();
        Tensor hidden = x * 3;
        Tensor kept = x * 2;
        kept.RetainGrad();

        (hidden * kept).Sum().Backward();

        Assert.That(hidden.Grad, Is.Null);
        Assert.That(hidden.IsLeaf, Is.False);
        TestTensors.AssertClose(kept.Grad!, [3, 6], 0);
    }

    [Test]
    public void A_retained_gradient_does_not_leak_into_a_later_unrelated_Backward()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();
        Tensor hidden = x * 3;
        hidden.RetainGrad();
        Tensor first = hidden.Sum();
        Tensor second = x.Sum();
        Tensor both = first + second;
        both.Backward(retainGraph: true);
        x.ZeroGrad();

        second.Backward();

        TestTensors.AssertClose(x.Grad!, [1, 1], 0);
    }

    [Test]
    public void RequiresGrad_cannot_be_set_on_a_tensor_an_op_produced()
    {
        Tensor x = Tensor.Ones([2]).RequireGrad();
        Tensor y = x * 2;

        Assert.That(() => y.RequiresGrad = false, Throws.InvalidOperationException.With.Message.Contains("Detach"));
    }

    [Test]
    public void In_place_updates_of_parameters_are_refused_while_recording()
    {
        Tensor w = Tensor.Ones([2]).RequireGrad();

        Assert.That(() => w.AddInPlace(Tensor.Ones([2])), Throws.InvalidOperationException.With.Message.Contains("NoGrad"));
        Assert.That(() => (w * 2).AddInPlace(Tensor.Ones([2])), Throws.InvalidOperationException);
        TestTensors.AssertClose(w, [1, 1], 0);
    }

    [Test]
    public void Backward_releases_only_what_it_walked_so_an_independent_loss_stays_differentiable()
    {
        Tensor a = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();
        Tensor b = Tensor.Create(new[] { 3.0, 4.0 }).RequireGrad();
        Tensor first = (a * a).Sum();
        Tensor second = (b * b).Sum();
        Tensor total = first + second; // joins both computations in one graph, e.g. for logging

        first.Backward();
        second.Backward();

        TestTensors.AssertClose(a.Grad!, [2, 4], 0);
        TestTensors.AssertClose(b.Grad!, [6, 8], 0);
        Assert.That(total.Item(), Is.EqualTo(30));
    }

    [Test]
    public void Backward_from_an_intermediate_releases_its_part_so_a_later_walk_through_it_throws()
    {
        Tensor w = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();
        Tensor hidden = (w + 1).Sum();
        Tensor loss = hidden * 3;

        hidden.Backward();

        TestTensors.AssertClose(w.Grad!, [1, 1], 0);
        Assert.That(() => loss.Backward(), Throws.InvalidOperationException.With.Message.Contains("retainGraph"));
    }

    [Test]
    public void Changing_a_saved_tensor_in_place_before_Backward_is_reported_not_differentiated_wrongly()
    {
        Tensor w = Tensor.Create(new[] { 2.0 }).RequireGrad();
        Tensor loss = (w * w * w).Sum();
        using (Tensor.NoGrad())
        {
            w.AddInPlace(Tensor.Create(new[] { 1.0 }));
        }

        Assert.That(() => loss.Backward(), Throws.InvalidOperationException.With.Message.Contains("modified in place"));
    }

    [Test]
    public void Changing_a_saved_tensor_through_a_view_that_shares_its_storage_is_reported_too()
    {
        Tensor v = Tensor.Create(new[] { 2.0 }).RequireGrad();
        Tensor loss = v.Log().Sum();

        v.Detach().AddInPlace(Tensor.Create(new[] { 2.0 }));

        Assert.That(() => loss.Backward(), Throws.InvalidOperationException.With.Message.Contains("modified in place"));
    }

    [Test]
    public void Updating_parameters_after_Backward_and_computing_again_is_fine()
    {
        Tensor w = Tensor.Create(new[] { 2.0 }).RequireGrad();
        (w * w).Sum().Backward();
        using (Tensor.NoGrad())
        {
            w.AddInPlace(w.Grad!, -0.25);
        }

        w.ZeroGrad();
        (w * w).Sum().Backward();

        TestTensors.AssertClose(w.Grad!, [2], 0);
    }

    [Test]
    public void Backward_refuses_a_disposed_gradient_of_a_leaf_before_changing_any_gradient()
    {
        Tensor v = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor w = Tensor.Create([3f, 4f]).RequireGrad();
        (v * w).Sum().Backward();
        long[] vGrad = TestTensors.Bits(v.Grad!);
        w.Grad!.Dispose();
        Tensor loss = (v * w).Sum(); // Multiply's rule writes v's gradient before w's

        ObjectDisposedException? error = Assert.Throws<ObjectDisposedException>(() => loss.Backward());

        Assert.That(TestTensors.Bits(v.Grad!), Is.EqualTo(vGrad), "no gradient changed");
        Assert.That(error!.Message, Does.Contain("Backward").And.Contain("gradient of a tensor of shape [2]").And.Contain("ZeroGrad(setToNone: true)"));
        w.ZeroGrad(setToNone: true);
        loss.Backward();
        Assert.That(w.Grad!.ToArray<float>(), Is.EqualTo(new[] { 1f, 2f }), "the graph was kept");
    }

    [Test]
    public void Backward_refuses_a_disposed_retained_gradient_before_changing_any_gradient()
    {
        Tensor v = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor h = v * 2;
        h.RetainGrad();
        (h * h).Sum().Backward(retainGraph: true);
        long[] vGrad = TestTensors.Bits(v.Grad!);
        h.Grad!.Dispose();
        Tensor loss = (h * 3).Sum(); // the walk writes v's gradient before it adds to h's retained one

        ObjectDisposedException? error = Assert.Throws<ObjectDisposedException>(() => loss.Backward());

        Assert.That(TestTensors.Bits(v.Grad!), Is.EqualTo(vGrad), "no gradient changed");
        Assert.That(error!.Message, Does.Contain("Backward").And.Contain("gradient of a tensor of shape [2]"));
    }

    [Test]
    public void A_Backward_through_a_graph_another_thread_is_walking_is_refused_and_changes_nothing()
    {
        Tensor w = Tensor.Create([1.0, 2.0]).RequireGrad();
        using var inRule = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int calls = 0;

        // y = w, through a rule that holds the first walk inside it until this thread has tried a walk of its own.
        Tensor y = Tensor.Record(Tensor.Create([1.0, 2.0]), w, (output, input) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                inRule.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            }

            input.AccumulateGrad(output.OutputGradient);
        });
        Tensor loss = (y * 3).Sum();
        Exception? firstError = null;
        var first = new Thread(() =>
        {
            try
            {
                loss.Backward(retainGraph: true);
            }
            catch (Exception e)
            {
                firstError = e;
            }
        });
        first.Start();
        InvalidOperationException? error;
        try
        {
            Assert.That(inRule.Wait(TimeSpan.FromSeconds(30)), Is.True, "the first walk reached the rule");
            error = Assert.Throws<InvalidOperationException>(() => loss.Backward(retainGraph: true));
        }
        finally
        {
            release.Set();
            first.Join();
        }

        Assert.That(error!.Message, Does.Contain("Backward").And.Contain("another thread").And.Contain("one Backward at a time"));
        Assert.That(firstError, Is.Null, "the first walk finished undisturbed");
        Assert.That(w.Grad!.ToArray<double>(), Is.EqualTo(new[] { 3.0, 3.0 }), "one walk's gradient");
        loss.Backward();
        Assert.That(w.Grad!.ToArray<double>(), Is.EqualTo(new[] { 6.0, 6.0 }), "the graph can be walked again once the first walk ended");
    }
}
