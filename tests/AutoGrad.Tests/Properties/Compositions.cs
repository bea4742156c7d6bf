using System.Globalization;
using CsCheck;

namespace AutoGrad.Tests.Properties;

/// <summary>
/// A bound on every element of an intermediate value, computed by interval arithmetic as a composition is generated: an op
/// is drawn only where its domain holds for the whole interval (Log and Sqrt above 0.1, Exp below 3.9, Sin and Cos within
/// ±2π, where an argument's float32 rounding error stays small next to their result's magnitude of at most 1) and its
/// result stays within ±<see cref="Limit"/>, so no composition leaves the region where finite differences and float32 are
/// accurate.
/// </summary>
internal readonly record struct Interval(double Lo, double Hi)
{
    public const double Limit = 50;

    public static Interval Signed { get; } = new(-2.01, 2.01);

    public static Interval Positive { get; } = new(0.2, 2);

    public static Interval Unbounded { get; } = new(double.NegativeInfinity, double.PositiveInfinity);

    public double Magnitude => Math.Max(Math.Abs(Lo), Math.Abs(Hi));

    public bool StraddlesZero => Lo <= 0 && Hi >= 0;

    public static Interval Of(params double[] corners) => new(corners.Min(), corners.Max());

    public Interval Monotone(Func<double, double> f) => Of(f(Lo), f(Hi));

    /// <summary>The range of sin over this interval: sin at its ends, widened to 1 (−1) where it holds a crest π/2 + 2kπ (a trough −π/2 + 2kπ).</summary>
    public Interval Sine()
    {
        Interval ends = Monotone(Math.Sin);
        return new(Holds(-Math.PI / 2) ? -1 : ends.Lo, Holds(Math.PI / 2) ? 1 : ends.Hi);
    }

    /// <summary>The range of cos over this interval, as that of sin shifted: cos v = sin(v + π/2).</summary>
    public Interval Cosine() => new Interval(Lo + (Math.PI / 2), Hi + (Math.PI / 2)).Sine();

    /// <summary>Whether some <c>phase + 2kπ</c>, k an integer, lies in this interval.</summary>
    private bool Holds(double phase) => Math.Ceiling((Lo - phase) / (2 * Math.PI)) <= Math.Floor((Hi - phase) / (2 * Math.PI));
}

/// <summary>What a step does, for counting what the generated compositions cover.</summary>
internal enum StepKind
{
    Unary,
    AlongAxis,
    FreshInput,
    FanOut,
    Shape,
    Reduction,
}

/// <summary>One step of a composition: how it is printed, and how it computes the next value from the inputs and the values so far.</summary>
internal sealed record Step(StepKind Kind, string Text, Func<Tensor[], IReadOnlyList<Tensor>, Tensor> Apply);

/// <summary>
/// A random composition of ops: a chain of values v0 = x0, v1, ..., each computed by one step from the previous value and,
/// for a binary step, a fresh input xk or an earlier value (fan-out). Printed as one assignment per step, so a failing
/// case reads as the program it ran.
/// </summary>
internal sealed record Composition(TensorData[] Inputs, int[][] Shapes, Interval[] Ranges, Step[] Steps)
{
    public int[] Shape => Shapes[^1];

    public Interval Range => Ranges[^1];

    public static Composition Start(TensorData x0) => new([x0], [x0.Shape], [Interval.Signed], []);

    public Tensor Evaluate(Tensor[] inputs)
    {
        var values = new List<Tensor> { inputs[0] };
        foreach (Step step in Steps)
        {
            values.Add(step.Apply(inputs, values));
        }

        return values[^1];
    }

    public Composition Then(StepKind kind, string text, Func<Tensor[], IReadOnlyList<Tensor>, Tensor> apply, int[] shape, Interval range, TensorData? input = null)
        => new(input is null ? Inputs : [.. Inputs, input], [.. Shapes, shape], [.. Ranges, range], [.. Steps, new Step(kind, $"v{Steps.Length + 1} = {text}", apply)]);

    /// <summary>The steps, one assignment each, and the output's shape.</summary>
    public string Program => $"v0 = x0; {string.Join("; ", Steps.Select(step => step.Text))} (output {AutoGrad.Shapes.Format(Shape)})";

    public override string ToString() => $"{Program} with {Checks.Describe(Inputs)}";
}

/// <summary>Generators of random compositions of 2..6 ops.</summary>
internal static class Compositions
{
    /// <summary>Shape-preserving unary ops: the printed form ({0} is the operand), the op, and the interval of the result (null where not allowed).</summary>
    private static readonly (string Text, Func<Tensor, Tensor> Apply, Func<Interval, Interval?> Range)[] UnaryOps =
    [
        ("-{0}", x => -x, r => new Interval(-r.Hi, -r.Lo)),
        ("exp({0})", x => x.Exp(), r => r.Hi <= 3.9 ? r.Monotone(Math.Exp) : null),
        ("log({0})", x => x.Log(), r => r.Lo >= 0.1 ? r.Monotone(Math.Log) : null),
        ("sqrt({0})", x => x.Sqrt(), r => r.Lo >= 0.1 ? r.Monotone(Math.Sqrt) : null),
        ("abs({0})", x => x.Abs(), r => r.StraddlesZero ? new Interval(0, r.Magnitude) : r.Monotone(Math.Abs)),
        ("tanh({0})", x => x.Tanh(), r => r.Monotone(Math.Tanh)),
        ("sin({0})", x => x.Sin(), r => r.Magnitude <= 2 * Math.PI ? r.Sine() : null),
        ("cos({0})", x => x.Cos(), r => r.Magnitude <= 2 * Math.PI ? r.Cosine() : null),
        ("sigmoid({0})", x => x.Sigmoid(), r => r.Monotone(v => 1 / (1 + Math.Exp(-v)))),
        ("relu({0})", x => x.Relu(), r => r.Monotone(v => Math.Max(v, 0))),
        ("leakyRelu({0}, 0.1)", x => x.LeakyRelu(0.1), r => r.Monotone(v => v > 0 ? v : 0.1 * v)),
        ("softplus({0})", x => x.Softplus(), r => r.Monotone(v => Math.Log(1 + Math.Exp(v)))),
        ("{0}^2", x => x.Pow(2), r => r.StraddlesZero ? new Interval(0, r.Magnitude * r.Magnitude) : r.Monotone(v => v * v)),
        ("{0}^3", x => x.Pow(3), r => r.Monotone(v => v * v * v)),
        ("{0}^0.5", x => x.Pow(0.5), r => r.Lo >= 0.1 ? r.Monotone(Math.Sqrt) : null),
        ("{0}^-1", x => x.Pow(-1), r => r.Lo >= 0.1 ? r.Monotone(v => 1 / v) : null),
        ("3 * {0}", x => 3 * x, r => r.Monotone(v => 3 * v)),
        ("{0} * -0.5", x => x * -0.5, r => r.Monotone(v => -0.5 * v)),
        ("{0} + 1.5", x => x + 1.5, r => r.Monotone(v => v + 1.5)),
        ("2 - {0}", x => 2 - x, r => r.Monotone(v => 2 - v)),
        ("{0} / 2", x => x / 2, r => r.Monotone(v => v / 2)),
        ("1 / {0}", x => 1 / x, r => r.Lo >= 0.1 ? r.Monotone(v => 1 / v) : null),
    ];

    /// <summary>Broadcasting binary ops: the printed form, the op, and the interval of the result from those of the operands (null where not allowed).</summary>
    private static readonly (string Text, Func<Tensor, Tensor, Tensor> Apply, Func<Interval, Interval, Interval?> Range)[] BinaryOps =
    [
        ("{0} + {1}", (a, b) => a + b, (a, b) => new Interval(a.Lo + b.Lo, a.Hi + b.Hi)),
        ("{0} - {1}", (a, b) => a - b, (a, b) => new Interval(a.Lo - b.Hi, a.Hi - b.Lo)),
        ("{0} * {1}", (a, b) => a * b, (a, b) => Interval.Of(a.Lo * b.Lo, a.Lo * b.Hi, a.Hi * b.Lo, a.Hi * b.Hi)),
        ("{0} / {1}", (a, b) => a / b, (a, b) => b.Lo >= 0.1 ? Interval.Of(a.Lo / b.Lo, a.Lo / b.Hi, a.Hi / b.Lo, a.Hi / b.Hi) : null),
        ("maximum({0}, {1})", (a, b) => a.Maximum(b), (a, b) => new Interval(Math.Max(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi))),
        ("minimum({0}, {1})", (a, b) => a.Minimum(b), (a, b) => new Interval(Math.Min(a.Lo, b.Lo), Math.Min(a.Hi, b.Hi))),
        ("{0}^{1}", (a, b) => a.Pow(b), (a, b) => a.Lo >= 0.1 && a.Hi <= 10 && b.Magnitude <= 3
            ? Interval.Of(Math.Pow(a.Lo, b.Lo), Math.Pow(a.Lo, b.Hi), Math.Pow(a.Hi, b.Lo), Math.Pow(a.Hi, b.Hi))
            : null),
    ];

    /// <summary>Compositions of 2..6 steps starting from x0 of rank 0..3.</summary>
    public static Gen<Composition> Any { get; } =
        from length in Gen.Int[2, 6]
        from shape in Generators.Shape(0, 3)
        from x0 in Generators.Tensor(shape, Domain.Signed)
        from composition in Extend(Composition.Start(x0), length)
        select composition;

    private static Gen<Composition> Extend(Composition c, int remaining)
        => remaining == 0 ? Gen.Const(c) : Next(c, last: remaining == 1).SelectMany(next => Extend(next, remaining - 1));

    private static Gen<Composition> Next(Composition c, bool last)
    {
        var choices = new List<(int, IGen<Composition>)> { (4, Unary(c)), (4, WithFreshInput(c)) };
        if (c.Shape.Length > 0)
        {
            choices.Add((1, AlongAxis(c)));
        }

        if (FanOut(c) is { } fanOut)
        {
            choices.Add((2, fanOut));
        }

        choices.Add((1, Reshaped(c)));
        if (last)
        {
            choices.Add((5, Reduced(c)));
        }

        return Gen.Frequency([.. choices]);
    }

    private static Gen<Composition> Unary(Composition c)
    {
        string operand = $"v{c.Steps.Length}";
        Composition[] allowed =
        [
            .. UnaryOps
                .Select(op => (op, range: op.Range(c.Range)))
                .Where(x => x.range is { } r && r.Magnitude <= Interval.Limit)
                .Select(x => c.Then(StepKind.Unary, string.Format(CultureInfo.InvariantCulture, x.op.Text, operand), (_, v) => x.op.Apply(v[^1]), c.Shape, x.range!.Value)),
        ];
        return Gen.OneOf(allowed);
    }

    private static Gen<Composition> AlongAxis(Composition c)
        => from axis in Gen.Int[-c.Shape.Length, c.Shape.Length - 1]
           from log in Gen.Bool
           let n = c.Shape[axis < 0 ? axis + c.Shape.Length : axis]
           let spread = c.Range.Hi - c.Range.Lo
           select log
               ? c.Then(StepKind.AlongAxis, $"logSoftmax(v{c.Steps.Length}, axis: {axis})", (_, v) => v[^1].LogSoftmax(axis), c.Shape, new Interval(-spread - Math.Log(n), 0))
               : c.Then(StepKind.AlongAxis, $"softmax(v{c.Steps.Length}, axis: {axis})", (_, v) => v[^1].Softmax(axis), c.Shape, new Interval(Math.Exp(-spread) / n, 1));

    /// <summary>A binary op with a fresh input whose shape broadcasts with the current one (either may be the larger), on either side.</summary>
    private static Gen<Composition> WithFreshInput(Composition c)
        => from widened in Widen(c.Shape)
           from shape in Generators.BroadcastableTo(widened)
           where Shapes.ElementCount(Shapes.Broadcast(c.Shape, shape, "composition")) <= Generators.MaxElements
           from op in Gen.Int[0, BinaryOps.Length - 1]
           from currentFirst in Gen.Bool
           from positive in Gen.Bool
           from x in Generators.Tensor(shape, positive ? Domain.Positive : Domain.Signed)
           let input = $"x{c.Inputs.Length}"
           let index = c.Inputs.Length
           let range = positive ? Interval.Positive : Interval.Signed
           let result = currentFirst ? BinaryOps[op].Range(c.Range, range) : BinaryOps[op].Range(range, c.Range)
           // An op these ranges do not allow (a divisor or a base of Pow that may be near 0) becomes an addition instead.
           select result is { } r && r.Magnitude <= Interval.Limit
               ? c.Then(
                   StepKind.FreshInput,
                   string.Format(CultureInfo.InvariantCulture, BinaryOps[op].Text, currentFirst ? $"v{c.Steps.Length}" : input, currentFirst ? input : $"v{c.Steps.Length}"),
                   currentFirst ? (xs, v) => BinaryOps[op].Apply(v[^1], xs[index]) : (xs, v) => BinaryOps[op].Apply(xs[index], v[^1]),
                   Shapes.Broadcast(c.Shape, shape, "composition"),
                   r,
                   x)
               : c.Then(StepKind.FreshInput, $"v{c.Steps.Length} + {input}", (xs, v) => v[^1] + xs[index], Shapes.Broadcast(c.Shape, shape, "composition"), new Interval(c.Range.Lo + range.Lo, c.Range.Hi + range.Hi), x);

    /// <summary>The current shape with its size-1 axes possibly grown and possibly a new leading axis, so a fresh operand may broadcast the current value up.</summary>
    private static Gen<int[]> Widen(int[] shape)
        => from grown in Gen.Int[1, Generators.MaxExtent].Array[shape.Length]
           from lead in Gen.Int[0, 3]
           let widened = shape.Select((extent, axis) => extent == 1 ? grown[axis] : extent).ToArray()
           select lead >= 2 ? [lead, .. widened] : widened;

    /// <summary>A binary op of the current value with an earlier one (x0 included): the graph fans out. Null when no earlier value broadcasts within the size limit.</summary>
    private static Gen<Composition>? FanOut(Composition c)
    {
        int[] earlier = [.. Enumerable.Range(0, c.Shapes.Length - 1).Where(j => BroadcastSize(c.Shapes[j], c.Shape) <= Generators.MaxElements)];
        if (earlier.Length == 0)
        {
            return null;
        }

        Composition[] allowed =
        [
            .. from j in earlier
               from op in BinaryOps
               from currentFirst in new[] { true, false }
               let range = currentFirst ? op.Range(c.Range, c.Ranges[j]) : op.Range(c.Ranges[j], c.Range)
               where range is { } r && r.Magnitude <= Interval.Limit
               let text = string.Format(CultureInfo.InvariantCulture, op.Text, currentFirst ? $"v{c.Steps.Length}" : $"v{j}", currentFirst ? $"v{j}" : $"v{c.Steps.Length}")
               select c.Then(
                   StepKind.FanOut,
                   text,
                   currentFirst ? (_, v) => op.Apply(v[^1], v[j]) : (_, v) => op.Apply(v[j], v[^1]),
                   Shapes.Broadcast(c.Shape, c.Shapes[j], "composition"),
                   range!.Value),
        ];
        return allowed.Length == 0 ? null : Gen.OneOf(allowed);
    }

    /// <summary>The element count of the broadcast of two shapes, or int.MaxValue when they do not broadcast together.</summary>
    private static int BroadcastSize(int[] a, int[] b)
    {
        for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
        {
            if (a[^i] != b[^i] && a[^i] != 1 && b[^i] != 1)
            {
                return int.MaxValue;
            }
        }

        return Shapes.ElementCount(Shapes.Broadcast(a, b, "composition"));
    }

    /// <summary>A shape op in the middle of the chain: flatten, reverse the extents, transpose a matrix, or broadcast to a new leading axis.</summary>
    private static Gen<Composition> Reshaped(Composition c)
    {
        string current = $"v{c.Steps.Length}";
        int[] shape = c.Shape;
        var allowed = new List<Composition>
        {
            c.Then(StepKind.Shape, $"reshape({current}, -1)", (_, v) => v[^1].Reshape(-1), [Shapes.ElementCount(shape)], c.Range),
            c.Then(StepKind.Shape, $"reshape({current}, {Shapes.Format([.. shape.Reverse()])})", (_, v) => v[^1].Reshape([.. shape.Reverse()]), [.. shape.Reverse()], c.Range),
        };
        if (shape.Length == 2)
        {
            allowed.Add(c.Then(StepKind.Shape, $"transpose({current})", (_, v) => v[^1].Transpose(), [shape[1], shape[0]], c.Range));
        }

        if (shape.Length < 4 && Shapes.ElementCount(shape) * 2 <= Generators.MaxElements)
        {
            allowed.Add(c.Then(StepKind.Shape, $"broadcastTo({current}, {Shapes.Format([2, .. shape])})", (_, v) => v[^1].BroadcastTo([2, .. shape]), [2, .. shape], c.Range));
        }

        return Gen.OneOf([.. allowed]);
    }

    /// <summary>A last step that reduces: a sum or mean (of all, or along an axis), a max along an axis, or a loss or product with a fresh input.</summary>
    private static Gen<Composition> Reduced(Composition c)
    {
        string current = $"v{c.Steps.Length}";
        int[] shape = c.Shape;
        int index = c.Inputs.Length;
        string x = $"x{index}";
        var choices = new List<IGen<Composition>>
        {
            Gen.Const(c.Then(StepKind.Reduction, $"sum({current})", (_, v) => v[^1].Sum(), [], Interval.Unbounded)),
            Gen.Const(c.Then(StepKind.Reduction, $"mean({current})", (_, v) => v[^1].Mean(), [], Interval.Unbounded)),
            from target in Generators.Tensor(shape, Domain.Signed)
            select c.Then(StepKind.Reduction, $"mseLoss({current}, {x})", (xs, v) => Tensor.MseLoss(v[^1], xs[index]), [], Interval.Unbounded, target),
        };
        if (shape.Length > 0)
        {
            choices.Add(
                from axis in Gen.Int[-shape.Length, shape.Length - 1]
                from keep in Gen.Bool
                from kind in Gen.Int[0, 2]
                let name = kind switch { 0 => "sum", 1 => "mean", _ => "max" }
                let resolved = axis < 0 ? axis + shape.Length : axis
                let output = keep ? shape.Select((e, i) => i == resolved ? 1 : e).ToArray() : [.. shape[..resolved], .. shape[(resolved + 1)..]]
                select c.Then(
                    StepKind.Reduction,
                    $"{name}({current}, axis: {axis}, keepDims: {keep})",
                    kind switch
                    {
                        0 => (_, v) => v[^1].Sum(axis, keep),
                        1 => (_, v) => v[^1].Mean(axis, keep),
                        _ => (_, v) => v[^1].Max(axis, keep),
                    },
                    output,
                    Interval.Unbounded));
        }

        if (shape.Length is 1 or 2)
        {
            choices.Add(
                from outputs in Gen.Int[1, 3]
                from affine in Gen.Bool
                from w in Generators.Tensor(affine ? [outputs, shape[^1]] : [shape[^1], outputs], Domain.Signed)
                select affine
                    ? c.Then(StepKind.Reduction, $"affine({current}, {x})", (xs, v) => v[^1].Affine(xs[index]), [.. shape[..^1], outputs], Interval.Unbounded, w)
                    : c.Then(StepKind.Reduction, $"matMul({current}, {x})", (xs, v) => v[^1].MatMul(xs[index]), [.. shape[..^1], outputs], Interval.Unbounded, w));
        }

        if (shape.Length == 2)
        {
            choices.Add(
                from targets in Gen.Int[0, shape[1] - 1].Array[shape[0]]
                select c.Then(StepKind.Reduction, $"crossEntropyLoss({current}, [{string.Join(", ", targets)}])", (_, v) => Tensor.CrossEntropyLoss(v[^1], targets), [], Interval.Unbounded));
        }

        return Gen.OneOf([.. choices]);
    }
}
