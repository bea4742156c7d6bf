using CsCheck;

namespace AutoGrad.Tests.Properties;

/// <summary>
/// Properties of every broadcasting binary op and operator, on random pairs of shapes that broadcast together (scalars,
/// size-1 axes, missing leading axes, on either side): gradients match float64 central differences, and empty tensors
/// go forward and backward.
/// </summary>
public sealed class BinaryOpProperties
{
    private const int Cases = 300;
    private const int EmptyCases = 20;

    /// <summary>
    /// As in the gradient-check table: operands lie in [0.1, 2] in magnitude, divisors and bases of Pow in [0.2, 2], so the
    /// largest second and third derivatives (of y⁻¹ and x^y at 0.2) keep the central-difference error below 1e-8.
    /// </summary>
    private const double Tolerance = 1e-6;

    /// <summary>Each op with the domains of its left and right operands; Maximum and Minimum get distinct values, so no ties.</summary>
    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> Apply, Domain Left, Domain Right)> Ops = new()
    {
        ["Add"] = ((x, y) => x.Add(y), Domain.Signed, Domain.Signed),
        ["Subtract"] = ((x, y) => x.Subtract(y), Domain.Signed, Domain.Signed),
        ["Multiply"] = ((x, y) => x.Multiply(y), Domain.Signed, Domain.Signed),
        ["Divide"] = ((x, y) => x.Divide(y), Domain.Signed, Domain.Positive),
        ["Maximum"] = ((x, y) => x.Maximum(y), Domain.Signed, Domain.Signed),
        ["Minimum"] = ((x, y) => x.Minimum(y), Domain.Signed, Domain.Signed),
        ["Pow"] = ((x, y) => x.Pow(y), Domain.Positive, Domain.Signed),
        ["x + y"] = ((x, y) => x + y, Domain.Signed, Domain.Signed),
        ["x - y"] = ((x, y) => x - y, Domain.Signed, Domain.Signed),
        ["x * y"] = ((x, y) => x * y, Domain.Signed, Domain.Signed),
        ["x / y"] = ((x, y) => x / y, Domain.Signed, Domain.Positive),
    };

    public static IEnumerable<string> OpNames() => Ops.Keys;

    /// <summary>
    /// For each op, 300 random broadcasting pairs (each derived from a common shape of rank 0..4 by dropping leading axes and
    /// setting axes to 1): every Jacobian entry, for both operands, matches float64 central differences within
    /// <see cref="Tolerance"/>. This checks that each operand's gradient is summed over the axes it was broadcast along.
    /// </summary>
    [TestCaseSource(nameof(OpNames))]
    public void Gradient_matches_central_differences_on_broadcast_shapes(string op)
    {
        (Func<Tensor, Tensor, Tensor> apply, Domain leftDomain, Domain rightDomain) = Ops[op];
        Gen<GradientCase> cases =
            from shapes in Generators.BroadcastPair(Generators.Shape())
            from operands in Operands(shapes.Left, leftDomain, shapes.Right, rightDomain)
            select new GradientCase(op, v => apply(v[0], v[1]), [operands.Left, operands.Right]);

        Property.Check($"binary {op} gradient", cases, Checks.Gradient, Cases, Tolerance);
    }

    /// <summary>
    /// For each op, 20 random broadcasting pairs derived from an empty common shape, so one operand may be non-empty
    /// ([3] with [0, 3]): the output has the broadcast shape, and each operand's gradient has its shape and is 0.
    /// </summary>
    [TestCaseSource(nameof(OpNames))]
    public void Empty_tensors_go_forward_and_backward(string op)
    {
        (Func<Tensor, Tensor, Tensor> apply, Domain leftDomain, Domain rightDomain) = Ops[op];
        Gen<EmptyCase> cases =
            from shapes in Generators.BroadcastPair(Generators.EmptyShape())
            where Shapes.ElementCount(Shapes.Broadcast(shapes.Left, shapes.Right, op)) == 0
            from operands in Operands(shapes.Left, leftDomain, shapes.Right, rightDomain)
            select new EmptyCase(op, v => apply(v[0], v[1]), [operands.Left, operands.Right], Shapes.Broadcast(shapes.Left, shapes.Right, op));

        Property.Check($"binary {op} on empty tensors", cases, Checks.EmptyGradients, EmptyCases, 0);
    }

    private static Gen<(TensorData Left, TensorData Right)> Operands(int[] left, Domain leftDomain, int[] right, Domain rightDomain)
        => leftDomain == Domain.Signed && rightDomain == Domain.Signed
            ? Generators.DistinctPair(left, right)
            : Gen.Select(Generators.Tensor(left, leftDomain), Generators.Tensor(right, rightDomain));
}
