namespace AutoGrad.Tests.Support;

/// <summary>Seeded float64 inputs for gradient checks, kept away from the kinks of ReLU, Abs and friends.</summary>
internal static class TestTensors
{
    /// <summary>Standard normal samples pushed at least 0.1 away from zero.</summary>
    public static Tensor AwayFromZero(int[] shape, int seed)
    {
        var random = new RandomSource(seed);
        var values = new double[Shapes.ElementCount(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            double v = random.NextNormal();
            values[i] = v + (v >= 0 ? 0.1 : -0.1);
        }

        return Tensor.Create(values, shape);
    }

    /// <summary>Uniform samples in [0.5, 2): safe for Log, Sqrt, divisors and bases of Pow.</summary>
    public static Tensor Positive(int[] shape, int seed)
        => Tensor.RandomUniform(shape, new RandomSource(seed), 0.5, 2, DType.Float64);

    /// <summary>Asserts element-wise closeness to <paramref name="expected"/>, reporting the first mismatch.</summary>
    public static void AssertClose(Tensor actual, double[] expected, double tolerance, string? what = null)
    {
        double[] values = actual.ToDType(DType.Float64).ToArray<double>();
        Assert.That(values, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.That(values[i], Is.EqualTo(expected[i]).Within(tolerance), $"{what} element {i}");
        }
    }

    /// <summary>The bit patterns of the elements, for asserting that two tensors are identical bit for bit (−0 ≠ +0, NaN = NaN).</summary>
    public static long[] Bits(Tensor tensor) => tensor.DType == DType.Float32
        ? [.. tensor.ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v))]
        : [.. tensor.ToArray<double>().Select(BitConverter.DoubleToInt64Bits)];
}
