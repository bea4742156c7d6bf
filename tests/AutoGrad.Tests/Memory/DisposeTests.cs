namespace AutoGrad.Tests.Memory;

/// <summary>
/// <see cref="Tensor.Dispose"/> and what a disposed tensor still allows: its storage goes back to the
/// <see cref="TensorPool"/>, where the next tensor of the same length picks it up, so every use of the disposed
/// tensor's values (or a view's) must throw <see cref="ObjectDisposedException"/> rather than read or write that other
/// tensor's data; its shape, element type and description stay available.
/// </summary>
public sealed class DisposeTests
{
    private static readonly float[] Original = [1, 2, 3, 4, 5, 6];
    private static readonly float[] Successor = [-10, -20, -30, -40, -50, -60];

    /// <summary>Every way of reading a tensor's values, each given a 6-element float32 tensor.</summary>
    private static readonly (string Name, Action<Tensor> Read)[] Reads =
    [
        ("indexer", t => _ = t[0, 0]),
        ("ToArray", t => t.ToArray<float>()),
        ("AsReadOnlySpan", t => _ = t.AsReadOnlySpan<float>().Length),
        ("AllFinite", t => t.AllFinite()),
        ("ToDType", t => t.ToDType(DType.Float64)),
        ("scalar operator", t => _ = t + 1),
        ("tensor operator, as the left operand", t => _ = t * Tensor.Ones([2, 3])),
        ("tensor operator, as the right operand", t => _ = Tensor.Ones([2, 3]) - t),
        ("Sum", t => t.Sum()),
        ("Sum over an axis", t => t.Sum(1)),
        ("Relu", t => t.Relu()),
        ("MatMul, as the left operand", t => t.MatMul(Tensor.Ones([3, 2]))),
        ("MatMul, as the right operand", t => Tensor.Ones([3, 2]).MatMul(t)),
        ("Affine", t => t.Affine(Tensor.Ones([4, 3]))),
        ("MseLoss", t => Tensor.MseLoss(t, Tensor.Zeros([2, 3]))),
        ("ZerosLike then CopyFrom it", t => Tensor.ZerosLike(t).CopyFrom(t)),
        ("as the operand of AddInPlace", t => Tensor.Zeros([2, 3]).AddInPlace(t)),
        ("Reshape, then reading the view", t => t.Reshape(6).ToArray<float>()),
    ];

    /// <summary>Every way of writing a tensor's values in place.</summary>
    private static readonly (string Name, Action<Tensor> Write)[] Writes =
    [
        ("FillInPlace", t => t.FillInPlace(0)),
        ("AddInPlace of a scalar", t => t.AddInPlace(1.0)),
        ("AddInPlace of a tensor", t => t.AddInPlace(Tensor.Ones([2, 3]))),
        ("MultiplyInPlace", t => t.MultiplyInPlace(2)),
        ("CopyFrom", t => t.CopyFrom(Tensor.Ones([2, 3]))),
        ("SqrtInPlace", t => t.SqrtInPlace()),
    ];

    public static IEnumerable<TestCaseData> AllReads() => Reads.Select(r => new TestCaseData(r.Read).SetArgDisplayNames(r.Name));

    public static IEnumerable<TestCaseData> AllWrites() => Writes.Select(w => new TestCaseData(w.Write).SetArgDisplayNames(w.Name));

    [TestCaseSource(nameof(AllReads))]
    public void Reading_a_disposed_tensor_throws_and_the_tensor_now_holding_its_buffer_is_intact(Action<Tensor> read)
    {
        (Tensor disposed, _, Tensor successor) = DisposeAndReuse();

        Assert.Throws<ObjectDisposedException>(() => read(disposed));
        Assert.That(successor.ToArray<float>(), Is.EqualTo(Successor));
    }

    [TestCaseSource(nameof(AllReads))]
    public void Reading_a_view_of_a_disposed_tensor_throws_and_the_tensor_now_holding_its_buffer_is_intact(Action<Tensor> read)
    {
        (_, Tensor view, Tensor successor) = DisposeAndReuse();

        Assert.Throws<ObjectDisposedException>(() => read(view));
        Assert.That(successor.ToArray<float>(), Is.EqualTo(Successor));
    }

    [TestCaseSource(nameof(AllWrites))]
    public void Writing_a_disposed_tensor_in_place_throws_and_leaves_the_tensor_now_holding_its_buffer_unchanged(Action<Tensor> write)
    {
        (Tensor disposed, Tensor view, Tensor successor) = DisposeAndReuse();

        Assert.Throws<ObjectDisposedException>(() => write(disposed));
        Assert.Throws<ObjectDisposedException>(() => write(view));
        Assert.That(successor.ToArray<float>(), Is.EqualTo(Successor));
    }

    [Test]
    public void The_item_of_a_disposed_one_element_tensor_cannot_be_read()
    {
        Tensor scalar = Tensor.Scalar(2.5);
        scalar.Dispose();
        Tensor successor = Tensor.Scalar(-1);

        Assert.Throws<ObjectDisposedException>(() => scalar.Item());
        Assert.That(successor.Item(), Is.EqualTo(-1));
    }

    [Test]
    public void The_disposed_error_names_the_shape_and_the_ways_to_keep_a_tensor()
    {
        Tensor t = Tensor.Zeros([2, 3]);
        t.Dispose();

        ObjectDisposedException? error = Assert.Throws<ObjectDisposedException>(() => t.ToArray<float>());

        Assert.That(error!.ObjectName, Is.EqualTo("Tensor"));
        Assert.That(error.Message, Does.Contain("shape [2, 3]"));
        Assert.That(error.Message, Does.Contain("scope.Keep"));
        Assert.That(error.Message, Does.Contain("DetachFromScope"));
    }

    [Test]
    public void A_disposed_tensor_still_reports_its_shape_rank_element_count_and_element_type()
    {
        Tensor t = Tensor.Zeros([2, 3, 4], DType.Float64);
        t.Dispose();

        Assert.That(t.IsDisposed, Is.True);
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(t.Rank, Is.EqualTo(3));
        Assert.That(t.ElementCount, Is.EqualTo(24));
        Assert.That(t.DType, Is.EqualTo(DType.Float64));
    }

    [Test]
    public void A_disposed_tensor_describes_itself_without_its_values()
    {
        Tensor t = Tensor.Zeros([2, 3]);
        Tensor view = t.Reshape(3, 2);
        t.Dispose();

        Assert.That(t.ToString(), Is.EqualTo("tensor(<disposed>, shape=[2, 3], dtype=float32)"));
        Assert.That(view.ToString(), Is.EqualTo("tensor(<disposed>, shape=[3, 2], dtype=float32)"));
    }

    [Test]
    public void A_tensor_is_not_disposed_until_Dispose_is_called()
    {
        Tensor t = Tensor.Create(Original, [2, 3]);

        Assert.That(t.IsDisposed, Is.False);
        t.Dispose();
        Assert.That(t.IsDisposed, Is.True);
    }

    [Test]
    public void Dispose_returns_the_buffer_to_the_pool_once_however_often_it_is_called()
    {
        Tensor t = Tensor.Zeros([5]);
        TensorPoolStatistics before = TensorPool.Statistics;

        t.Dispose();
        t.Dispose();
        t.Dispose();

        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.That(after.Returned - before.Returned, Is.EqualTo(1));
        Assert.That(t.IsDisposed, Is.True);
    }

    [Test]
    public void A_second_Dispose_does_not_release_the_buffer_now_held_by_another_tensor()
    {
        // Were the second call to return the buffer again, the pool would hand it to two tensors at once.
        Tensor t = Tensor.Zeros([7]);
        t.Dispose();
        Tensor successor = Tensor.Full([7], 3);

        t.Dispose();
        Tensor third = Tensor.Full([7], 4);

        Assert.That(successor.ToArray<float>(), Is.All.EqualTo(3f));
        Assert.That(third.ToArray<float>(), Is.All.EqualTo(4f));
    }

    [Test]
    public void Disposing_a_view_does_nothing()
    {
        Tensor t = Tensor.Create(Original, [2, 3]);
        Tensor reshaped = t.Reshape(6);
        Tensor detached = t.Detach();
        TensorPoolStatistics before = TensorPool.Statistics;

        reshaped.Dispose();
        detached.Dispose();

        Assert.That(TensorPool.Statistics.Returned, Is.EqualTo(before.Returned));
        Assert.That(t.IsDisposed, Is.False);
        Assert.That(reshaped.IsDisposed, Is.False);
        Assert.That(detached.IsDisposed, Is.False);
        Assert.That(reshaped.ToArray<float>(), Is.EqualTo(Original));
    }

    [Test]
    public void Disposing_the_base_disposes_its_views()
    {
        Tensor t = Tensor.Create(Original, [2, 3]);
        Tensor reshaped = t.Reshape(6);
        Tensor detached = t.Detach();

        t.Dispose();

        Assert.That(reshaped.IsDisposed, Is.True);
        Assert.That(detached.IsDisposed, Is.True);
    }

    [Test]
    public void Backward_through_a_graph_that_saved_a_disposed_tensor_throws()
    {
        Tensor w = Tensor.Create([1f, 2f, 3f]).RequireGrad();
        Tensor x = Tensor.Create([4f, 5f, 6f]);
        Tensor loss = (x * w).Sum();
        x.Dispose();
        Tensor successor = Tensor.Create([7f, 8f, 9f]);

        Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        Assert.That(successor.ToArray<float>(), Is.EqualTo(new[] { 7f, 8f, 9f }));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_Backward_that_failed_on_a_disposed_tensor_leaves_no_partial_gradient_for_the_next_one(bool disposedBranchFirst)
    {
        Tensor w = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor h = w + w;
        Tensor d = Tensor.Create([3f, 4f]);
        Tensor failing = disposedBranchFirst ? (h * d).Sum() + h.Sum() : h.Sum() + (h * d).Sum();
        d.Dispose();
        Assert.Throws<ObjectDisposedException>(() => failing.Backward());

        h.Sum().Backward();

        Assert.That(w.Grad!.ToArray<float>(), Is.EqualTo(new[] { 2f, 2f }));
    }

    [Test]
    public void A_disposed_empty_tensor_cannot_be_read_either()
    {
        Tensor empty = Tensor.Zeros([0, 3]);
        empty.Dispose();

        Assert.That(empty.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => empty.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => empty.Sum());
        Assert.That(empty.ToString(), Is.EqualTo("tensor(<disposed>, shape=[0, 3], dtype=float32)"));
    }

    /// <summary>
    /// A tensor of shape [2, 3] holding <see cref="Original"/> and a view of it (of the same shape), both disposed, and the tensor that then received the
    /// disposed storage holding <see cref="Successor"/>; asserts that it was the reused buffer, not a new one.
    /// </summary>
    private static (Tensor Disposed, Tensor View, Tensor Successor) DisposeAndReuse()
    {
        TensorPool.Clear();
        Tensor disposed = Tensor.Create(Original, [2, 3]);
        Tensor view = disposed.Reshape(2, 3);
        disposed.Dispose();

        TensorPoolStatistics before = TensorPool.Statistics;
        Tensor successor = Tensor.Create(Successor, [6]);
        TensorPoolStatistics after = TensorPool.Statistics;

        Assert.That(after.Rented - before.Rented, Is.EqualTo(1));
        Assert.That(after.Allocated, Is.EqualTo(before.Allocated), "the successor took the disposed tensor's buffer (the only one the pool held)");
        Assert.That(after.RetainedBytes, Is.Zero);
        return (disposed, view, successor);
    }
}
