using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Every differentiable op, checked in float64 against central finite differences (an independent reference):
/// on several shapes, on broadcast shapes, with fan-out, and in chains.
/// </summary>
public sealed class GradientCheckTableTests
{
    private const double Tolerance = 1e-6;

    private static readonly int[] Matrix = [3, 4];

    /// <summary>A constant [3,4] float64 factor that requires no gradient: the chains below differentiate through it.</summary>
    private static readonly Tensor Weights = Tensor.Create(new[] { 1.5, -2.0, 0.25, 3.0, -0.5, 1.0, 2.0, -1.25, 0.75, -3.0, 0.5, 1.75 }, [3, 4]);

    private static readonly (string Name, int[] Left, int[] Right)[] BinaryShapes =
    [
        ("same [3,4]", [3, 4], [3, 4]),
        ("[3,1] with [1,4]", [3, 1], [1, 4]),
        ("[2,3,4] with [4]", [2, 3, 4], [4]),
        ("[4] with [2,3,4]", [4], [2, 3, 4]),
        ("scalar with [3]", [], [3]),
        ("[2,3] with scalar", [2, 3], []),
        ("[2,1,4] with [3,1]", [2, 1, 4], [3, 1]),
    ];

    private static readonly (string Name, Func<Tensor, Tensor, Tensor> Op, bool PositiveRight, bool PositiveLeft)[] BinaryOps =
    [
        ("Add", (a, b) => a.Add(b), false, false),
        ("Subtract", (a, b) => a.Subtract(b), false, false),
        ("Multiply", (a, b) => a.Multiply(b), false, false),
        ("Divide", (a, b) => a.Divide(b), true, false),
        ("Maximum", (a, b) => a.Maximum(b), false, false),
        ("Minimum", (a, b) => a.Minimum(b), false, false),
        ("Pow", (a, b) => a.Pow(b), false, true),
    ];

    private static readonly (string Name, Func<Tensor, Tensor> Op, bool Positive)[] UnaryOps =
    [
        ("Negate", x => x.Negate(), false),
        ("Exp", x => x.Exp(), false),
        ("Log", x => x.Log(), true),
        ("Sqrt", x => x.Sqrt(), true),
        ("Abs", x => x.Abs(), false),
        ("Tanh", x => x.Tanh(), false),
        ("Sin", x => x.Sin(), false),
        ("Cos", x => x.Cos(), false),
        ("Sigmoid", x => x.Sigmoid(), false),
        ("Relu", x => x.Relu(), false),
        ("LeakyRelu(0.1)", x => x.LeakyRelu(0.1), false),
        ("Pow(3)", x => x.Pow(3), false),
        ("Pow(0.5)", x => x.Pow(0.5), true),
        ("Softplus", x => x.Softplus(), false),
    ];

    private static readonly (string Name, Func<Tensor[], Tensor> Function, int[][] Shapes)[] OtherCases =
    [
        ("Sum()", x => x[0].Sum(), [[2, 3, 4]]),
        ("Sum(0)", x => x[0].Sum(0), [[2, 3, 4]]),
        ("Sum(1, keepDims)", x => x[0].Sum(1, keepDims: true), [[2, 3, 4]]),
        ("Sum(-1)", x => x[0].Sum(-1), [[2, 3, 4]]),
        ("Mean()", x => x[0].Mean(), [[3, 4]]),
        ("Mean(1)", x => x[0].Mean(1), [[3, 4]]),
        ("Max(0)", x => x[0].Max(0), [[3, 4]]),
        ("Max(1, keepDims)", x => x[0].Max(1, keepDims: true), [[2, 3, 4]]),
        ("Max(-1) of a vector", x => x[0].Max(-1), [[6]]),
        ("Dot", x => x[0].Dot(x[1]), [[5], [5]]),
        ("MatMul matrix·matrix", x => x[0].MatMul(x[1]), [[3, 4], [4, 2]]),
        ("MatMul matrix·vector", x => x[0].MatMul(x[1]), [[3, 4], [4]]),
        ("MatMul vector·matrix", x => x[0].MatMul(x[1]), [[4], [4, 2]]),
        ("MatMul vector·vector", x => x[0].MatMul(x[1]), [[4], [4]]),
        ("Transpose", x => x[0].Transpose(), [[3, 4]]),
        ("Affine batch", x => x[0].Affine(x[1], x[2]), [[5, 3], [2, 3], [2]]),
        ("Affine one sample", x => x[0].Affine(x[1], x[2]), [[3], [2, 3], [2]]),
        ("Affine without bias", x => x[0].Affine(x[1]), [[4, 3], [2, 3]]),
        ("Reshape", x => x[0].Reshape(3, -1), [[2, 6]]),
        ("BroadcastTo", x => x[0].BroadcastTo(2, 3, 4), [[3, 1]]),
        ("MseLoss", x => Tensor.MseLoss(x[0], x[1]), [[4, 2], [4, 2]]),
        ("MseLoss of one element", x => Tensor.MseLoss(x[0], x[1]), [[1], [1]]),
        ("CrossEntropyLoss", x => Tensor.CrossEntropyLoss(x[0], [2, 0, 3]), [[3, 4]]),
        ("CrossEntropyLoss, a class twice", x => Tensor.CrossEntropyLoss(x[0], [1, 1, 0, 2]), [[4, 3]]),
        ("fan-out CrossEntropyLoss + Sum", x => Tensor.CrossEntropyLoss(x[0], [1, 0]) + x[0].Sum(), [[2, 3]]),
        ("TakeAlongLastAxis of a matrix", x => x[0].TakeAlongLastAxis([3, 0, 2]), [[3, 4]]),
        ("TakeAlongLastAxis of [2,3,4], an index twice", x => x[0].TakeAlongLastAxis([1, 1, 0, 3, 2, 1]), [[2, 3, 4]]),
        ("fan-out TakeAlongLastAxis + Sum", x => x[0].TakeAlongLastAxis([2, 1]).Sum() + x[0].Sum(), [[2, 3]]),
        ("fan-out x*x", x => x[0] * x[0], [Matrix]),
        ("fan-out x+x", x => x[0] + x[0], [Matrix]),
        ("fan-out x*x*x", x => x[0] * x[0] * x[0], [Matrix]),
        ("fan-out (x*y)+x with broadcast", x => (x[0] * x[1]) + x[0], [[3, 4], [4]]),
        ("fan-out x·x", x => x[0].Dot(x[0]), [[5]]),
        ("fan-out x·xᵀ", x => x[0].MatMul(x[0].Transpose()), [[3, 4]]),
        ("operators 2 − x/3 + 1/x", x => 2 - (x[0] / 3) + (1 / x[0]), [Matrix]),
        ("chain: two-layer perceptron", x => x[0].Affine(x[1], x[2]).Relu().Affine(x[3], x[4]).Tanh().Sum(), [[4, 3], [5, 3], [5], [2, 5], [2]]),
        ("chain: softmax", x => x[0].Exp() / x[0].Exp().Sum(1, keepDims: true), [Matrix]),
        ("chain: log-sigmoid", x => x[0].Sigmoid().Log(), [Matrix]),
        ("chain: neuron loss", x => Tensor.MseLoss(x[0].Affine(x[1], x[2]).Relu(), x[3]), [[6, 3], [1, 3], [1], [6, 1]]),
        ("chain: max of a sum", x => (x[0] + x[1]).Max(0).Sum(), [[3, 4], [4]]),
        ("Softmax(0)", x => x[0].Softmax(0), [Matrix]),
        ("Softmax(1)", x => x[0].Softmax(1), [Matrix]),
        ("Softmax()", x => x[0].Softmax(), [Matrix]),
        ("Softmax(-2)", x => x[0].Softmax(-2), [Matrix]),
        ("Softmax of a vector", x => x[0].Softmax(), [[5]]),
        ("Softmax(1) of [2,3,4], the strided middle axis", x => x[0].Softmax(1), [[2, 3, 4]]),
        ("Softmax(0) of [2,3,4]", x => x[0].Softmax(0), [[2, 3, 4]]),
        ("Softmax(1) over a length-1 axis", x => x[0].Softmax(1), [[3, 1]]),
        ("Softmax(1) of [2,1,3] over a length-1 axis, strided", x => x[0].Softmax(1), [[2, 1, 3]]),
        ("LogSoftmax(0)", x => x[0].LogSoftmax(0), [Matrix]),
        ("LogSoftmax(1)", x => x[0].LogSoftmax(1), [Matrix]),
        ("LogSoftmax()", x => x[0].LogSoftmax(), [Matrix]),
        ("LogSoftmax of a vector", x => x[0].LogSoftmax(), [[5]]),
        ("LogSoftmax(1) of [2,3,4], the strided middle axis", x => x[0].LogSoftmax(1), [[2, 3, 4]]),
        ("LogSoftmax(-3) of [2,3,4]", x => x[0].LogSoftmax(-3), [[2, 3, 4]]),
        ("LogSoftmax(1) over a length-1 axis", x => x[0].LogSoftmax(1), [[3, 1]]),
        ("LogSoftmax(1) of [2,1,3] over a length-1 axis, strided", x => x[0].LogSoftmax(1), [[2, 1, 3]]),
        ("Softmax(1) of [2,3,4] times y", x => x[0].Softmax(1) * x[1], [[2, 3, 4], [2, 3, 4]]),
        ("LogSoftmax(0) of [3,4] times y", x => x[0].LogSoftmax(0) * x[1], [Matrix, Matrix]),
        ("Softplus of [2,3,4]", x => x[0].Softplus(), [[2, 3, 4]]),
        ("chain: LogSoftmax(1) times a constant, summed", x => (x[0].LogSoftmax(1) * Weights).Sum(), [Matrix]),
        ("chain: LogSoftmax(1) of [2,3,4] times a constant", x => x[0].LogSoftmax(1) * 2.5, [[2, 3, 4]]),
        ("chain: LogSoftmax of a scaled input", x => (x[0] * 3).LogSoftmax(), [Matrix]),
        ("chain: Softmax then Log", x => x[0].Softmax(0).Log(), [Matrix]),
        ("chain: Softmax of a Softmax", x => x[0].Softmax(1).Softmax(0), [Matrix]),
        ("chain: Softplus of an affine map, summed", x => x[0].Affine(x[1], x[2]).Softplus().Sum(), [[4, 3], [5, 3], [5]]),
        ("fan-out softmax(x)*x", x => x[0].Softmax() * x[0], [Matrix]),
        ("fan-out softmax(x)*x along the strided middle axis", x => x[0].Softmax(1) * x[0], [[2, 3, 4]]),
        ("fan-out softmax(x) + log-softmax(x)", x => x[0].Softmax() + x[0].LogSoftmax(), [Matrix]),
        ("fan-out softplus(x)*x", x => x[0].Softplus() * x[0], [Matrix]),
        ("fan-out softplus(x) − log-softmax(x) along axis 0", x => x[0].Softplus() - x[0].LogSoftmax(0), [Matrix]),
        ("chain: sin(x²)", x => x[0].Pow(2).Sin(), [Matrix]),
        ("chain: [ln x², sin 3x], the paper's vector chain rule", x => (x[0].Pow(2).Log() * Tensor.Create([1.0, 0.0])) + ((3 * x[0]).Sin() * Tensor.Create([0.0, 1.0])), [[]]),
        ("chain: cos of an affine map, summed", x => x[0].Affine(x[1], x[2]).Cos().Sum(), [[4, 3], [5, 3], [5]]),
        ("fan-out sin(x)·cos(x)", x => x[0].Sin() * x[0].Cos(), [Matrix]),
        ("fan-out sin²(x) + cos²(x)", x => x[0].Sin().Pow(2) + x[0].Cos().Pow(2), [Matrix]),
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        int seed = 1;
        foreach (var op in BinaryOps)
        {
            foreach (var shapes in BinaryShapes)
            {
                Tensor left = op.PositiveLeft ? TestTensors.Positive(shapes.Left, seed++) : TestTensors.AwayFromZero(shapes.Left, seed++);
                Tensor right = op.PositiveRight ? TestTensors.Positive(shapes.Right, seed++) : TestTensors.AwayFromZero(shapes.Right, seed++);
                Func<Tensor, Tensor, Tensor> f = op.Op;
                yield return Case($"{op.Name} {shapes.Name}", x => f(x[0], x[1]), left, right);
            }
        }

        foreach (var op in UnaryOps)
        {
            foreach (int[] shape in new[] { Matrix, [5], [] })
            {
                Tensor x = op.Positive ? TestTensors.Positive(shape, seed++) : TestTensors.AwayFromZero(shape, seed++);
                Func<Tensor, Tensor> f = op.Op;
                yield return Case($"{op.Name} {Shapes.Format(shape)}", x => f(x[0]), x);
            }
        }

        foreach (var other in OtherCases)
        {
            Tensor[] inputs = [.. other.Shapes.Select(shape => TestTensors.AwayFromZero(shape, seed++))];
            yield return Case(other.Name, other.Function, inputs);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Analytic_gradients_match_central_differences(Func<Tensor[], Tensor> function, Tensor[] inputs)
    {
        GradientCheckResult result = GradientCheck.Run(function, inputs);

        Assert.That(result.InputIndex, Is.GreaterThanOrEqualTo(0), "the function has derivatives to compare");
        Assert.That(result.MaxError, Is.LessThan(Tolerance), result.ToString());
    }

    [Test]
    public void The_check_catches_a_wrong_gradient()
    {
        // x * detach(x) hides one path from Backward: analytic x, true derivative 2x.
        Tensor x = TestTensors.AwayFromZero([4], seed: 99);

        GradientCheckResult result = GradientCheck.Run(v => v * v.Detach(), x);

        Assert.That(result.MaxError, Is.GreaterThan(0.05), result.ToString());
    }

    [Test]
    public void The_check_refuses_float32_inputs()
    {
        Tensor x = Tensor.Ones([3]);

        Assert.That(() => GradientCheck.Run(v => v.Exp(), x), Throws.ArgumentException.With.Message.Contains("float64"));
    }

    private static TestCaseData Case(string name, Func<Tensor[], Tensor> function, params Tensor[] inputs)
        => new TestCaseData(function, inputs).SetName($"Gradient check: {name}");
}
