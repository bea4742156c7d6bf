namespace AutoGrad.Tests.Ops;

/// <summary>Bad input throws a clear error naming the op and the shapes, and records or changes nothing.</summary>
public sealed class BadInputTests
{
    private static readonly (string Op, Func<Tensor, Tensor, Tensor> Apply)[] BinaryOps =
    [
        ("Add", (a, b) => a.Add(b)),
        ("Subtract", (a, b) => a.Subtract(b)),
        ("Multiply", (a, b) => a.Multiply(b)),
        ("Divide", (a, b) => a.Divide(b)),
        ("Maximum", (a, b) => a.Maximum(b)),
        ("Minimum", (a, b) => a.Minimum(b)),
        ("Pow", (a, b) => a.Pow(b)),
        ("Add", (a, b) => a + b),
        ("Subtract", (a, b) => a - b),
        ("Multiply", (a, b) => a * b),
        ("Divide", (a, b) => a / b),
    ];

    private static readonly (string Op, int[] Left, int[] Right, Func<Tensor, Tensor, Tensor> Apply)[] ShapedOps =
    [
        ("Dot", [3], [4], (a, b) => a.Dot(b)),
        ("Dot", [3, 1], [3], (a, b) => a.Dot(b)),
        ("MatMul", [2, 3], [2, 3], (a, b) => a.MatMul(b)),
        ("MatMul", [2, 3, 4], [4], (a, b) => a.MatMul(b)),
        ("Affine", [5, 3], [2, 4], (a, b) => a.Affine(b)),
        ("MseLoss", [4, 1], [4], Tensor.MseLoss),
        ("Affine", [3], [], (a, b) => a.Affine(b, Tensor.Ones([3]))),
    ];

    public static IEnumerable<TestCaseData> Broadcasts()
        => BinaryOps.Select(op => new TestCaseData(op.Op, op.Apply).SetName($"{op.Op} of [2, 3] and [4] names the op and both shapes"));

    public static IEnumerable<TestCaseData> Shaped()
        => ShapedOps.Select(op => new TestCaseData(op.Op, op.Left, op.Right, op.Apply)
            .SetName($"{op.Op} of {Shapes.Format(op.Left)} and {Shapes.Format(op.Right)} names the op and both shapes"));

    [TestCaseSource(nameof(Broadcasts))]
    public void Shapes_that_do_not_broadcast(string op, Func<Tensor, Tensor, Tensor> apply)
        => AssertRejected(op, [2, 3], [4], apply);

    [TestCaseSource(nameof(Shaped))]
    public void Shapes_that_do_not_fit(string op, int[] left, int[] right, Func<Tensor, Tensor, Tensor> apply)
        => AssertRejected(op, left, right, apply);

    [Test]
    public void Mixing_element_types_names_the_op_and_both_types()
    {
        Tensor a = Tensor.Ones([2]);
        Tensor b = Tensor.Ones([2], DType.Float64);

        Assert.That(
            () => a.Multiply(b),
            Throws.ArgumentException.With.Message.Contains("Multiply").And.Message.Contains("float32").And.Message.Contains("float64"));
    }

    [Test]
    public void An_axis_out_of_range_names_the_op_and_the_rank()
    {
        Tensor x = Tensor.Ones([2, 3]);

        Assert.That(() => x.Sum(2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Sum").And.Message.Contains("rank 2"));
        Assert.That(() => x.Max(-3), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Max"));
        Assert.That(() => x.Mean(5), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Mean"));
    }

    [Test]
    public void Reshape_and_BroadcastTo_name_both_shapes()
    {
        Tensor x = Tensor.Ones([2, 3]);

        Assert.That(() => x.Reshape(4, 2), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4, 2]"));
        Assert.That(() => x.BroadcastTo(4, 3), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4, 3]"));
        Assert.That(() => x.Transpose().Transpose().Reshape(-1, -1), Throws.ArgumentException);
    }

    [Test]
    public void Null_operands_are_rejected()
    {
        Tensor x = Tensor.Ones([2]);

        Assert.That(() => x.Add(null!), Throws.ArgumentNullException);
        Assert.That(() => x * (Tensor)null!, Throws.ArgumentNullException);
    }

    private static void AssertRejected(string op, int[] leftShape, int[] rightShape, Func<Tensor, Tensor, Tensor> apply)
    {
        Tensor leaf = Tensor.Ones(leftShape).RequireGrad();
        Tensor left = leaf * 2; // recorded, so the test can see that nothing more is
        Tensor right = Tensor.Ones(rightShape).RequireGrad();

        Assert.That(
            () => apply(left, right),
            Throws.ArgumentException
                .With.Message.Contains(op)
                .And.Message.Contains(Shapes.Format(leftShape))
                .And.Message.Contains(Shapes.Format(rightShape)));

        Assert.That(right.Entry, Is.Null);
        Assert.That(leaf.Grad, Is.Null);
        Assert.That(left.ToArray<float>(), Is.All.EqualTo(2f), "the operand is unchanged");
        left.Sum().Backward();
        Assert.That(leaf.Grad!.ToArray<float>(), Is.All.EqualTo(2f), "the graph still differentiates as before");
    }
}
