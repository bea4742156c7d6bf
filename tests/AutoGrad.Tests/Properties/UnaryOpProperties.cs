using CsCheck;

namespace AutoGrad.Tests.Properties;

/// <summary>
/// Properties of every shape-preserving unary op (and the operators with a constant), on random shapes of rank 0..4 with
/// extents 0..4: gradients match float64 central differences, and empty tensors go forward and backward.
/// </summary>
public sealed class UnaryOpProperties
{
    private const int Cases = 200;
    private const int EmptyCases = 10;

    /// <summary>
    /// The gradient-check table's tolerance holds here too: inputs lie in [0.1, 2] in magnitude (or [0.2, 2] for the positive
    /// domain), where central differences with ε = 1e-6 err by about ε²·|f‴| + 1e-16·|f|/ε, below 1e-8 for these ops.
    /// </summary>
    private const double Tolerance = 1e-6;

    /// <summary>Each op applied to x; the int is an axis in [−rank, rank), used by the ops along an axis.</summary>
    private static readonly Dictionary<string, (Func<Tensor, int, Tensor> Apply, Domain Domain, bool AlongAxis)> Ops = new()
    {
        ["Negate"] = ((x, _) => x.Negate(), Domain.Signed, false),
        ["-x"] = ((x, _) => -x, Domain.Signed, false),
        ["Exp"] = ((x, _) => x.Exp(), Domain.Signed, false),
        ["Log"] = ((x, _) => x.Log(), Domain.Positive, false),
        ["Sqrt"] = ((x, _) => x.Sqrt(), Domain.Positive, false),
        ["Abs"] = ((x, _) => x.Abs(), Domain.Signed, false),
        ["Tanh"] = ((x, _) => x.Tanh(), Domain.Signed, false),
        ["Sin"] = ((x, _) => x.Sin(), Domain.Signed, false),
        ["Cos"] = ((x, _) => x.Cos(), Domain.Signed, false),
        ["Sigmoid"] = ((x, _) => x.Sigmoid(), Domain.Signed, false),
        ["Relu"] = ((x, _) => x.Relu(), Domain.Signed, false),
        ["LeakyRelu()"] = ((x, _) => x.LeakyRelu(), Domain.Signed, false),
        ["LeakyRelu(0.3)"] = ((x, _) => x.LeakyRelu(0.3), Domain.Signed, false),
        ["Softplus"] = ((x, _) => x.Softplus(), Domain.Signed, false),
        ["Pow(2)"] = ((x, _) => x.Pow(2), Domain.Signed, false),
        ["Pow(3)"] = ((x, _) => x.Pow(3), Domain.Signed, false),
        ["Pow(0.5)"] = ((x, _) => x.Pow(0.5), Domain.Positive, false),
        ["Pow(-1)"] = ((x, _) => x.Pow(-1), Domain.Positive, false),
        ["Pow(1.5)"] = ((x, _) => x.Pow(1.5), Domain.Positive, false),
        ["Softmax(axis)"] = ((x, axis) => x.Softmax(axis), Domain.Signed, true),
        ["LogSoftmax(axis)"] = ((x, axis) => x.LogSoftmax(axis), Domain.Signed, true),
        ["x + 1.5"] = ((x, _) => x + 1.5, Domain.Signed, false),
        ["2.5 + x"] = ((x, _) => 2.5 + x, Domain.Signed, false),
        ["x - 0.75"] = ((x, _) => x - 0.75, Domain.Signed, false),
        ["1.25 - x"] = ((x, _) => 1.25 - x, Domain.Signed, false),
        ["x * -1.5"] = ((x, _) => x * -1.5, Domain.Signed, false),
        ["3 * x"] = ((x, _) => 3 * x, Domain.Signed, false),
        ["x / 4"] = ((x, _) => x / 4, Domain.Signed, false),
        ["2 / x"] = ((x, _) => 2 / x, Domain.Positive, false),
    };

    public static IEnumerable<string> OpNames() => Ops.Keys;

    /// <summary>
    /// For each op, 200 random shapes of rank 0..4 (rank ≥ 1 along an axis, with a random axis, negative ones included):
    /// every Jacobian entry matches float64 central differences within <see cref="Tolerance"/>.
    /// </summary>
    [TestCaseSource(nameof(OpNames))]
    public void Gradient_matches_central_differences(string op)
    {
        (Func<Tensor, int, Tensor> apply, Domain domain, bool alongAxis) = Ops[op];
        Gen<GradientCase> cases =
            from shape in Generators.Shape(alongAxis ? 1 : 0)
            from x in Generators.Tensor(shape, domain)
            from axis in Gen.Int[-shape.Length, Math.Max(shape.Length - 1, 0)]
            select new GradientCase(alongAxis ? $"{op} with axis {axis}" : op, v => apply(v[0], axis), [x]);

        Property.Check($"unary {op} gradient", cases, Checks.Gradient, Cases, Tolerance);
    }

    /// <summary>
    /// For each op, 10 random empty shapes (rank 1..4, one or more axes of length 0; any axis for the ops along one, the
    /// empty one included): the output has the input's shape and the gradient is empty, of the input's shape.
    /// </summary>
    [TestCaseSource(nameof(OpNames))]
    public void Empty_tensors_go_forward_and_backward(string op)
    {
        (Func<Tensor, int, Tensor> apply, _, _) = Ops[op];
        Gen<EmptyCase> cases =
            from shape in Generators.EmptyShape()
            from axis in Gen.Int[-shape.Length, shape.Length - 1]
            select new EmptyCase($"{op} with axis {axis}", v => apply(v[0], axis), [new TensorData(shape, [])], shape);

        Property.Check($"unary {op} on empty tensors", cases, Checks.EmptyGradients, EmptyCases, 0);
    }
}
