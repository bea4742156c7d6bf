using System.Globalization;
using System.Text;

namespace AutoGrad.Guide;

/// <summary>
/// Compares a number AutoGrad computed with an independent reference (a closed form evaluated in plain C#), prints
/// one line, and remembers a mismatch so that the program exits non-zero at the end.
/// </summary>
/// <remarks>
/// The line shows the value once, after ✓, when both agree; after ✗ it shows both. Shapes must agree too: a gradient
/// of the wrong shape is a wrong gradient even when its numbers happen to match.
/// </remarks>
internal static class Check
{
    /// <summary>
    /// Float64 rounding leaves errors near 1e-15 in these small computations; a wrong derivative rule is off by far
    /// more than 1e-9. Relative to the reference where it exceeds 1, absolute below.
    /// </summary>
    public const double DefaultTolerance = 1e-9;

    private static readonly List<string> Failed = [];

    /// <summary>How many checks agreed so far.</summary>
    public static int PassedCount { get; private set; }

    /// <summary>One line per check that disagreed, for the summary at the end.</summary>
    public static IReadOnlyList<string> Failures => Failed;

    /// <summary>A one-element tensor (a scalar, or a gradient of one) against a number.</summary>
    public static void Agree(string what, Tensor? autoGrad, double byHand) => Compare(what, autoGrad, [byHand], null, DefaultTolerance);

    /// <summary>A vector against its elements.</summary>
    public static void Agree(string what, Tensor? autoGrad, double[] byHand) => Compare(what, autoGrad, byHand, [byHand.Length], DefaultTolerance);

    /// <summary>A matrix (a Jacobian) against its rows.</summary>
    public static void Agree(string what, Tensor? autoGrad, double[,] byHand)
    {
        int rows = byHand.GetLength(0), columns = byHand.GetLength(1);
        var elements = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                elements[(i * columns) + j] = byHand[i, j];
            }
        }

        Compare(what, autoGrad, elements, [rows, columns], DefaultTolerance);
    }

    /// <summary>A number AutoGrad gave (already read out of a tensor) against a number.</summary>
    public static void Agree(string what, double autoGrad, double byHand) => Report(what, [autoGrad], [byHand], null, DefaultTolerance, null);

    /// <summary>A vector against a target it should only approach, such as the weights training should find.</summary>
    public static void Near(string what, Tensor? autoGrad, double[] target, double tolerance) => Compare(what, autoGrad, target, [target.Length], tolerance);

    /// <summary>A number against a target it should only approach.</summary>
    public static void Near(string what, double autoGrad, double target, double tolerance) => Report(what, [autoGrad], [target], null, tolerance, null);

    /// <summary>A claim that is not a comparison of numbers, such as "the loss fell at every step".</summary>
    public static void That(string what, bool holds)
    {
        if (holds)
        {
            PassedCount++;
            Console.WriteLine($"✓ {what}");
        }
        else
        {
            Failed.Add(what);
            Console.WriteLine($"✗ {what}: does not hold");
        }
    }

    private static void Compare(string what, Tensor? autoGrad, double[] expected, int[]? expectedShape, double tolerance)
    {
        if (autoGrad is null)
        {
            Report(what, null, expected, expectedShape, tolerance, "AutoGrad gave no tensor (no gradient reached it)");
            return;
        }

        double[] actual = autoGrad.DType == DType.Float64
            ? autoGrad.ToArray<double>()
            : [.. autoGrad.ToArray<float>().Select(value => (double)value)];
        int[] actualShape = autoGrad.Shape.ToArray();
        bool shapeFits = expectedShape is null ? actual.Length == expected.Length : actualShape.SequenceEqual(expectedShape);
        string? shapeProblem = shapeFits
            ? null
            : $"shape [{string.Join(", ", actualShape)}], expected [{string.Join(", ", expectedShape ?? [expected.Length])}]";
        Report(what, actual, expected, expectedShape, tolerance, shapeProblem);
    }

    private static void Report(string what, double[]? actual, double[] expected, int[]? shape, double tolerance, string? problem)
    {
        if (problem is null && actual is not null)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                double error = Math.Abs(actual[i] - expected[i]);
                if (!(error <= tolerance * Math.Max(1, Math.Abs(expected[i]))))
                {
                    problem = $"element {i} differs by {error.ToString("G3", CultureInfo.InvariantCulture)}";
                    break;
                }
            }
        }

        if (problem is null)
        {
            PassedCount++;
            Console.WriteLine($"✓ {what,-38} {Format(expected, shape)}");
            return;
        }

        string line = $"✗ {what}: AutoGrad {(actual is null ? "none" : Format(actual, shape))}, by hand {Format(expected, shape)} ({problem})";
        Failed.Add(line);
        Console.WriteLine(line);
    }

    /// <summary>A number as 6 significant digits; a vector as [a, b]; a matrix as [[a, b], [c, d]].</summary>
    private static string Format(double[] values, int[]? shape)
    {
        // Adding 0.0 turns −0 into 0: a sign on a zero gradient is rounding, not information.
        string Number(double value) => (value + 0.0).ToString("G6", CultureInfo.InvariantCulture);

        if (shape is null)
        {
            return Number(values[0]);
        }

        if (shape.Length == 1 || values.Length != shape[0] * shape[1])
        {
            return "[" + string.Join(", ", values.Select(Number)) + "]";
        }

        var text = new StringBuilder("[");
        for (int i = 0; i < shape[0]; i++)
        {
            text.Append(i == 0 ? "[" : ", [")
                .AppendJoin(", ", values.Skip(i * shape[1]).Take(shape[1]).Select(Number))
                .Append(']');
        }

        return text.Append(']').ToString();
    }
}
