namespace AutoGrad.Tests.Memory;

/// <summary>
/// <see cref="TensorPool"/>: the calling thread's counters (<see cref="TensorPool.Statistics"/>), buffer reuse by
/// element type and exact length, the <see cref="TensorPool.MaxRetainedBytes"/> limit and <see cref="TensorPool.Clear"/>,
/// and the buffers that come back without a scope: a gradient dropped by <c>ZeroGrad(setToNone: true)</c>, and
/// Backward's own scratch and working gradients. Each test reads counter deltas on its own thread, after emptying the
/// pool where it needs to know what the pool holds.
/// </summary>
public sealed class TensorPoolTests
{
    [Test]
    public void A_tensor_gets_a_new_buffer_when_the_pool_holds_none_of_its_length()
    {
        TensorPool.Clear();
        TensorPoolStatistics before = TensorPool.Statistics;

        _ = Tensor.Zeros([10]);

        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.That(after.Rented - before.Rented, Is.EqualTo(1));
        Assert.That(after.Allocated - before.Allocated, Is.EqualTo(1));
        Assert.That(after.AllocatedBytes - before.AllocatedBytes, Is.EqualTo(40));
        Assert.That(after.Returned, Is.EqualTo(before.Returned));
        Assert.That(after.RetainedBytes, Is.Zero);
    }

    [Test]
    public void A_buffer_the_runtime_could_not_allocate_is_not_counted()
    {
        TensorPoolStatistics before = TensorPool.Statistics;

        // Longer than Array.MaxLength: the runtime throws OutOfMemoryException at once, as it does when memory runs out,
        // without reserving any.
        Assert.Throws<OutOfMemoryException>(() => BufferPool.Current.Rent<float>(int.MaxValue));

        Assert.That(TensorPool.Statistics, Is.EqualTo(before));
    }

    [Test]
    public void A_disposed_tensors_buffer_is_retained_and_handed_to_the_next_tensor_of_its_length()
    {
        TensorPool.Clear();
        Tensor first = Tensor.Zeros([10]);
        TensorPoolStatistics before = TensorPool.Statistics;

        first.Dispose();
        TensorPoolStatistics returned = TensorPool.Statistics;
        _ = Tensor.Ones([2, 5]);
        TensorPoolStatistics reused = TensorPool.Statistics;

        Assert.That(returned.Returned - before.Returned, Is.EqualTo(1));
        Assert.That(returned.RetainedBytes, Is.EqualTo(40));
        Assert.That(reused.Rented - returned.Rented, Is.EqualTo(1));
        Assert.That(reused.Allocated, Is.EqualTo(returned.Allocated));
        Assert.That(reused.AllocatedBytes, Is.EqualTo(returned.AllocatedBytes));
        Assert.That(reused.RetainedBytes, Is.Zero);
    }

    [Test]
    public void A_scope_returns_every_buffer_its_tensors_rented()
    {
        TensorPool.Clear();
        TensorPoolStatistics before = TensorPool.Statistics;
        using (Tensor.Scope())
        {
            Tensor a = Tensor.Ones([3]);
            Tensor b = Tensor.Full([3], 2);
            _ = ((a + b) * a).Sum();
        }

        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.That(after.Rented - before.Rented, Is.GreaterThanOrEqualTo(5));
        Assert.That(after.Returned - before.Returned, Is.EqualTo(after.Rented - before.Rented));
        Assert.That(after.RetainedBytes, Is.EqualTo(after.AllocatedBytes - before.AllocatedBytes), "every buffer allocated is back in the pool");
    }

    [Test]
    public void Float64_buffers_count_eight_bytes_per_element()
    {
        TensorPool.Clear();
        TensorPoolStatistics before = TensorPool.Statistics;

        Tensor.Zeros([10], DType.Float64).Dispose();

        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.That(after.AllocatedBytes - before.AllocatedBytes, Is.EqualTo(80));
        Assert.That(after.RetainedBytes, Is.EqualTo(80));
    }

    [Test]
    public void Buffers_are_reused_only_by_tensors_of_the_same_element_type_and_length()
    {
        TensorPool.Clear();
        Tensor.Zeros([8], DType.Float64).Dispose(); // 64 bytes
        TensorPoolStatistics before = TensorPool.Statistics;

        Tensor sameBytes = Tensor.Zeros([16]); // float32, 64 bytes
        Tensor sameLength = Tensor.Zeros([8]); // float32, 8 elements
        TensorPoolStatistics afterOthers = TensorPool.Statistics;
        Tensor sameTypeAndLength = Tensor.Zeros([2, 4], DType.Float64);
        TensorPoolStatistics afterMatch = TensorPool.Statistics;

        Assert.That(afterOthers.Allocated - before.Allocated, Is.EqualTo(2));
        Assert.That(afterOthers.RetainedBytes, Is.EqualTo(64), "the float64 buffer is still in the pool");
        Assert.That(afterMatch.Allocated, Is.EqualTo(afterOthers.Allocated));
        Assert.That(afterMatch.RetainedBytes, Is.Zero);
        Assert.That(sameTypeAndLength.ToArray<double>(), Is.All.Zero);
        Assert.That(sameBytes.ToArray<float>().Concat(sameLength.ToArray<float>()), Is.All.Zero);
    }

    [Test]
    public void A_factory_overwrites_the_values_a_reused_buffer_held()
    {
        TensorPool.Clear();
        Tensor.Full([6], 9).Dispose();
        TensorPoolStatistics before = TensorPool.Statistics;

        Tensor zeros = Tensor.Zeros([6]);
        float[] zeroValues = zeros.ToArray<float>();
        zeros.Dispose();
        Tensor arange = Tensor.Arange(6);

        Assert.That(TensorPool.Statistics.Allocated, Is.EqualTo(before.Allocated), "both reused the buffer that held nines");
        Assert.That(zeroValues, Is.All.Zero);
        Assert.That(arange.ToArray<float>(), Is.EqualTo(new[] { 0f, 1f, 2f, 3f, 4f, 5f }));
    }

    [Test]
    public void Creating_and_disposing_empty_tensors_moves_no_counter()
    {
        TensorPoolStatistics before = TensorPool.Statistics;

        using (Tensor.Scope())
        {
            _ = Tensor.Zeros([0]);
            _ = Tensor.Ones([3, 0], DType.Float64);
            _ = Tensor.Create(Array.Empty<float>());
        }

        Tensor.Zeros([0, 2]).Dispose();

        Assert.That(TensorPool.Statistics, Is.EqualTo(before));
    }

    [Test]
    public void Clear_empties_the_pool_and_keeps_the_other_counters()
    {
        using (Tensor.Scope())
        {
            _ = Tensor.Zeros([12]);
        }

        TensorPoolStatistics before = TensorPool.Statistics;
        Assert.That(before.RetainedBytes, Is.GreaterThanOrEqualTo(48));

        TensorPool.Clear();
        TensorPoolStatistics cleared = TensorPool.Statistics;
        _ = Tensor.Zeros([12]);
        TensorPoolStatistics after = TensorPool.Statistics;

        Assert.That(cleared, Is.EqualTo(before with { RetainedBytes = 0 }));
        Assert.That(after.Allocated - cleared.Allocated, Is.EqualTo(1), "the pool no longer holds a buffer of that length");
    }

    [Test]
    [NonParallelizable]
    public void Buffers_returned_beyond_MaxRetainedBytes_are_left_to_the_garbage_collector()
    {
        long setting = TensorPool.MaxRetainedBytes;
        try
        {
            TensorPool.Clear();
            TensorPool.MaxRetainedBytes = 100;
            TensorPoolStatistics before = TensorPool.Statistics;
            using (Tensor.Scope())
            {
                _ = Tensor.Zeros([16]); // 64 bytes each
                _ = Tensor.Zeros([16]);
                _ = Tensor.Zeros([16]);
            }

            TensorPoolStatistics returned = TensorPool.Statistics;
            using (Tensor.Scope())
            {
                _ = Tensor.Zeros([16]);
                _ = Tensor.Zeros([16]);
                _ = Tensor.Zeros([16]);
            }

            TensorPoolStatistics after = TensorPool.Statistics;
            Assert.That(returned.Returned - before.Returned, Is.EqualTo(3), "each counts as returned");
            Assert.That(returned.RetainedBytes, Is.EqualTo(64), "only the first fits under the limit");
            Assert.That(after.Allocated - returned.Allocated, Is.EqualTo(2), "the next three tensors reuse one buffer and allocate two");
            Assert.That(after.RetainedBytes, Is.EqualTo(64));
        }
        finally
        {
            TensorPool.MaxRetainedBytes = setting;
        }
    }

    [Test]
    [NonParallelizable]
    public void A_MaxRetainedBytes_of_zero_retains_nothing()
    {
        long setting = TensorPool.MaxRetainedBytes;
        try
        {
            TensorPool.Clear();
            TensorPool.MaxRetainedBytes = 0;
            TensorPoolStatistics before = TensorPool.Statistics;

            Tensor.Zeros([4]).Dispose();
            _ = Tensor.Zeros([4]);

            TensorPoolStatistics after = TensorPool.Statistics;
            Assert.That(after.RetainedBytes, Is.Zero);
            Assert.That(after.Allocated - before.Allocated, Is.EqualTo(2));
        }
        finally
        {
            TensorPool.MaxRetainedBytes = setting;
        }
    }

    [Test]
    [NonParallelizable]
    public void Lowering_MaxRetainedBytes_keeps_what_the_pool_already_holds_until_it_is_rented_or_cleared()
    {
        long setting = TensorPool.MaxRetainedBytes;
        try
        {
            TensorPool.Clear();
            Tensor.Zeros([25]).Dispose();
            TensorPool.MaxRetainedBytes = 10;
            TensorPoolStatistics before = TensorPool.Statistics;

            _ = Tensor.Zeros([25]);

            Assert.That(before.RetainedBytes, Is.EqualTo(100));
            Assert.That(TensorPool.Statistics.Allocated, Is.EqualTo(before.Allocated));
        }
        finally
        {
            TensorPool.MaxRetainedBytes = setting;
        }
    }

    [Test]
    public void A_negative_MaxRetainedBytes_is_refused_and_the_setting_kept()
    {
        long setting = TensorPool.MaxRetainedBytes;

        Assert.Throws<ArgumentOutOfRangeException>(() => TensorPool.MaxRetainedBytes = -1);
        Assert.That(TensorPool.MaxRetainedBytes, Is.EqualTo(setting));
    }

    [Test]
    public void MaxRetainedBytes_defaults_to_256_MiB()
    {
        Assert.That(TensorPool.DefaultMaxRetainedBytes, Is.EqualTo(256L * 1024 * 1024));
        Assert.That(TensorPool.MaxRetainedBytes, Is.EqualTo(TensorPool.DefaultMaxRetainedBytes));
    }

    [Test]
    public void Each_thread_counts_its_own_buffers()
    {
        TensorPoolStatistics before = TensorPool.Statistics;
        TensorPoolStatistics otherBefore = default, otherAfter = default;

        var thread = new Thread(() =>
        {
            otherBefore = TensorPool.Statistics;
            using (Tensor.Scope())
            {
                _ = Tensor.Zeros([5]);
                _ = Tensor.Zeros([5], DType.Float64);
            }

            otherAfter = TensorPool.Statistics;
        });
        thread.Start();
        thread.Join();

        Assert.That(TensorPool.Statistics, Is.EqualTo(before));
        Assert.That(otherAfter.Rented - otherBefore.Rented, Is.EqualTo(2));
        Assert.That(otherAfter.Returned - otherBefore.Returned, Is.EqualTo(2));
        Assert.That(otherAfter.RetainedBytes - otherBefore.RetainedBytes, Is.EqualTo(60));
    }

    [Test]
    public void Clear_empties_only_the_calling_threads_pool()
    {
        Tensor.Zeros([3]).Dispose();
        long retainedHere = TensorPool.Statistics.RetainedBytes;

        var thread = new Thread(TensorPool.Clear);
        thread.Start();
        thread.Join();

        Assert.That(retainedHere, Is.GreaterThanOrEqualTo(12));
        Assert.That(TensorPool.Statistics.RetainedBytes, Is.EqualTo(retainedHere));
    }

    [Test]
    public void ZeroGrad_setting_the_gradient_to_none_returns_its_buffer()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f, 4f, 5f]).RequireGrad();
        (w * w).Sum().Backward();
        Tensor oldGrad = w.Grad!;
        TensorPool.Clear();
        TensorPoolStatistics before = TensorPool.Statistics;

        w.ZeroGrad(setToNone: true);

        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.That(w.Grad, Is.Null);
        Assert.That(oldGrad.IsDisposed, Is.True);
        Assert.That(after.Returned - before.Returned, Is.EqualTo(1));
        Assert.That(after.RetainedBytes, Is.EqualTo(20));
    }

    [Test]
    public void Backward_after_ZeroGrad_to_none_gives_the_new_gradient_alone_in_a_reused_buffer()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f]).RequireGrad();
        using (Tensor.Scope())
        {
            (w * w).Sum().Backward();
        }

        w.ZeroGrad(setToNone: true);
        TensorPoolStatistics before = TensorPool.Statistics;
        using (Tensor.Scope())
        {
            (w * w).Sum().Backward();
        }

        Assert.That(w.Grad!.ToArray<float>(), Is.EqualTo(new[] { 2f, 4f, 6f }), "not added to the dropped gradient");
        Assert.That(TensorPool.Statistics.Allocated, Is.EqualTo(before.Allocated), "the dropped gradient's buffer served again");
    }

    [Test]
    public void ZeroGrad_keeping_the_gradient_zeroes_it_in_place_and_returns_nothing()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f]).RequireGrad();
        (w * w).Sum().Backward();
        Tensor grad = w.Grad!;
        TensorPoolStatistics before = TensorPool.Statistics;

        w.ZeroGrad();

        Assert.That(w.Grad, Is.SameAs(grad));
        Assert.That(grad.IsDisposed, Is.False);
        Assert.That(grad.ToArray<float>(), Is.All.Zero);
        Assert.That(TensorPool.Statistics.Returned, Is.EqualTo(before.Returned));
    }

    [Test]
    public void ZeroGrad_to_none_of_a_retained_gradient_returns_its_buffer()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f]).RequireGrad();
        Tensor hidden = w * 2;
        hidden.RetainGrad();
        (hidden * hidden).Sum().Backward();
        Tensor retained = hidden.Grad!;
        TensorPoolStatistics before = TensorPool.Statistics;

        hidden.ZeroGrad(setToNone: true);

        Assert.That(hidden.Grad, Is.Null);
        Assert.That(retained.IsDisposed, Is.True);
        Assert.That(TensorPool.Statistics.Returned - before.Returned, Is.EqualTo(1));
    }

    [Test]
    public void The_buffers_a_Backward_allocates_do_not_grow_with_the_depth_of_the_graph()
    {
        // Each step of the chain leaves a gradient and a scratch product behind it; returned as the walk passes, a
        // few buffers serve the whole walk however long the chain.
        Assert.That(AllocatedByBackwardThroughChain(40), Is.EqualTo(AllocatedByBackwardThroughChain(10)));
    }

    [Test]
    public void Backward_returns_its_scratch_and_working_gradients_even_outside_a_scope()
    {
        // A retained graph walked again: once the leaves have gradients, whatever a walk rents it gives back.
        var random = new RandomSource(9);
        Tensor w = Tensor.RandomNormal([4, 3], random).RequireGrad();
        Tensor x = Tensor.RandomNormal([6, 4], random);
        Tensor loss = (x.MatMul(w).Relu() * 3 + 1).Sum();
        loss.Backward(retainGraph: true);
        TensorPoolStatistics before = TensorPool.Statistics;

        loss.Backward(retainGraph: true);
        loss.Backward(retainGraph: true);

        // A warm walk may meet every need from the working gradients earlier walks finished with, renting nothing.
        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.That(after.Returned - before.Returned, Is.EqualTo(after.Rented - before.Rented));
        Assert.That(after.Allocated, Is.EqualTo(before.Allocated));
    }

    /// <summary>The buffers allocated by Backward through <c>h ← h·s</c> repeated <paramref name="depth"/> times (s of shape [1]), from an empty pool.</summary>
    private static long AllocatedByBackwardThroughChain(int depth)
    {
        Tensor s = Tensor.Create([0.99f]).RequireGrad();
        Tensor h = Tensor.Ones([256]);
        for (int i = 0; i < depth; i++)
        {
            h *= s;
        }

        Tensor loss = h.Sum();
        TensorPool.Clear();
        long before = TensorPool.Statistics.Allocated;
        loss.Backward();
        return TensorPool.Statistics.Allocated - before;
    }
}
