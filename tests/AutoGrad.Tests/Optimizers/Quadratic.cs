namespace AutoGrad.Tests.Optimizers;

/// <summary>
/// A small problem for checking optimizers step by step against scalar references:
/// <c>L = Σₚ Σᵢ kₚᵢ (θₚᵢ − cₚᵢ)²</c>, so <c>∂L/∂θₚᵢ = 2kₚᵢ(θₚᵢ − cₚᵢ)</c> changes from step to step with θ.
/// The default problem has two float64 parameters of shapes [2, 3] and [4] with the values below (the ones the PyTorch
/// golden values were computed with); one element starts at its center (gradient 0 at first).
/// </summary>
internal sealed class Quadratic
{
    private static readonly int[][] DefaultShapes = [[2, 3], [4]];

    private static readonly double[][] DefaultStarts =
    [
        [1.5, -0.8, 0.3, 2.2, -1.7, 0.9],
        [-2.0, 0.6, 1.25, -0.4],
    ];

    private static readonly double[][] DefaultCenters =
    [
        [0.2, 0.5, -1.0, 1.0, -0.3, 2.5],
        [1.0, -0.5, 1.25, -3.0],
    ];

    private static readonly double[][] DefaultCurvatures =
    [
        [1.0, 0.5, 2.0, 0.25, 1.5, 0.75],
        [0.6, 1.2, 0.9, 0.35],
    ];

    private readonly DType _dtype;

    /// <summary>The default problem, in float64.</summary>
    public Quadratic()
        : this(DefaultShapes, DefaultStarts, DefaultCenters, DefaultCurvatures, DType.Float64)
    {
    }

    private Quadratic(int[][] shapes, double[][] starts, double[][] centers, double[][] curvatures, DType dtype)
    {
        // In float32 the problem is the float32 one: every constant rounded, so a reference in double differs only by
        // the rounding of the arithmetic.
        double[][] Round(double[][] values) => dtype == DType.Float32
            ? [.. values.Select(v => v.Select(x => (double)(float)x).ToArray())]
            : values;

        _dtype = dtype;
        Shapes = shapes;
        Starts = Round(starts);
        Centers = Round(centers);
        Curvatures = Round(curvatures);
        Parameters = [.. Starts.Select((start, p) => Tensor.Create(start, Shapes[p]).ToDType(dtype).RequireGrad())];
    }

    public int[][] Shapes { get; }

    public double[][] Starts { get; }

    public double[][] Centers { get; }

    public double[][] Curvatures { get; }

    /// <summary>The parameters, leaves of the problem's element type that require gradients.</summary>
    public Tensor[] Parameters { get; }

    /// <summary>
    /// A problem over parameters of the given shapes, with standard normal starts and centers and curvatures uniform
    /// in [0.2, 2), drawn from <paramref name="seed"/>.
    /// </summary>
    public static Quadratic Random(int[][] shapes, int seed, DType dtype)
    {
        var random = new RandomSource(seed);
        double[][] Draw(Func<double> next) => [.. shapes.Select(s => Enumerable.Range(0, s.Aggregate(1, (a, b) => a * b)).Select(_ => next()).ToArray())];
        double[][] starts = Draw(random.NextNormal);
        double[][] centers = Draw(random.NextNormal);
        double[][] curvatures = Draw(() => 0.2 + (1.8 * random.NextDouble()));
        return new Quadratic(shapes, starts, centers, curvatures, dtype);
    }

    /// <summary>The exact gradient of the loss at θ for element i of parameter p.</summary>
    public double Gradient(int p, int i, double theta) => 2 * Curvatures[p][i] * (theta - Centers[p][i]);

    /// <summary>Zeroes the gradients, then runs backward through the loss of the chosen parameters (all by default).</summary>
    public void Backward(params int[] which)
    {
        if (which.Length == 0)
        {
            which = [.. Enumerable.Range(0, Parameters.Length)];
        }

        Tensor? loss = null;
        foreach (int p in which)
        {
            Parameters[p].ZeroGrad();
            Tensor difference = Parameters[p] - Tensor.Create(Centers[p], Shapes[p]).ToDType(_dtype);
            Tensor term = (Tensor.Create(Curvatures[p], Shapes[p]).ToDType(_dtype) * difference * difference).Sum();
            loss = loss is null ? term : loss + term;
        }

        loss!.Backward();
    }

    /// <summary>The starting values, one array per parameter, for a reference to update.</summary>
    public double[][] StartingValues() => [.. Starts.Select(s => (double[])s.Clone())];

    /// <summary>Asserts that each parameter matches its reference within <paramref name="relative"/> of max(1, |expected|).</summary>
    public static void AssertMatches(Tensor[] parameters, double[][] expected, double relative, string what)
    {
        for (int p = 0; p < parameters.Length; p++)
        {
            double[] actual = parameters[p].ToDType(DType.Float64).ToArray<double>();
            Assert.That(actual, Has.Length.EqualTo(expected[p].Length), $"{what}: parameter {p}");
            for (int i = 0; i < actual.Length; i++)
            {
                Assert.That(
                    actual[i],
                    Is.EqualTo(expected[p][i]).Within(relative * Math.Max(1, Math.Abs(expected[p][i]))),
                    $"{what}: parameter {p} element {i}");
            }
        }
    }
}
