using System.Globalization;

namespace AutoGrad.Tests.Properties;

/// <summary>
/// The same random compositions (<see cref="Compositions"/>) computed in float32 and in float64 agree: the forward result
/// and the gradient of every input.
/// </summary>
public sealed class Float32AgreementProperties
{
    private const int Cases = 2000;

    /// <summary>
    /// The bound on <c>‖a₃₂ − a₆₄‖∞ / max(1, ‖a₆₄‖∞)</c> for the output and for each input's gradient. Both runs start from
    /// the same values (rounded to float32 first), so the difference is float32 arithmetic alone. Each op rounds its result
    /// to within a few units u = 2⁻²⁴ ≈ 6e-8 (a sum of up to 24 terms to within 24u of the sum of their magnitudes), and each
    /// later op scales an earlier error by its derivative, which the generator keeps moderate: values within ±50, Exp below
    /// 3.9, Sin and Cos within ±2π, Log, Sqrt, 1/x and Pow only on arguments ≥ 0.1. Over a chain of ≤ 6 ops, forward and then backward, that is
    /// expected to add up to tens or hundreds of u relative to the largest magnitude; 1e-4 (about 1700u) leaves room for the
    /// unlucky chains. Measured: the worst of 30,000 compositions on each vector-width path was 5.5e-6 (about 90u), the worst
    /// of the 2000 run here 8e-7 to 1.5e-6, depending on the path. The floor of 1 in the normwise measure is deliberate: an
    /// element that cancels to near 0 (a softmax summed to 1, a difference of equal values) has an absolute accuracy in
    /// either precision, not a relative one.
    /// </summary>
    private const double Tolerance = 1e-4;

    /// <summary>
    /// 2000 random compositions, each run on float64 leaves twice: once in float64, once converted to float32 at the start
    /// (<c>ToDType</c>) and back to float64 at the end, so the gradients also flow back through ToDType. The output and the
    /// gradient of Σ w ⊙ output (w fixed, in [−1, 1]) for every input agree within <see cref="Tolerance"/>.
    /// </summary>
    [Test]
    public void Float32_agrees_with_float64()
        => Property.Check("float32 against float64", Compositions.Any, Agreement, Cases, Tolerance);

    private static Outcome Agreement(Composition composition)
    {
        TensorData[] inputs = [.. composition.Inputs.Select(input => input.RoundedToFloat32())];
        (double[] y64, double[][] g64) = Run(composition, inputs, DType.Float64);
        (double[] y32, double[][] g32) = Run(composition, inputs, DType.Float32);

        Outcome worst = Compare("output", y32, y64);
        for (int i = 0; i < inputs.Length; i++)
        {
            Outcome gradient = Compare($"gradient of x{i}", g32[i], g64[i]);
            if (!(gradient.Error <= worst.Error))
            {
                worst = gradient;
            }
        }

        return worst;
    }

    private static (double[] Output, double[][] Gradients) Run(Composition composition, TensorData[] inputs, DType dtype)
    {
        Tensor[] leaves = [.. inputs.Select(input => input.ToTensor().RequireGrad())];
        Tensor y = composition.Evaluate([.. leaves.Select(leaf => leaf.ToDType(dtype))]).ToDType(DType.Float64);
        Tensor weights = Tensor.RandomUniform(y.Shape, new RandomSource(7), -1, 1, DType.Float64);
        (y * weights).Sum().Backward();
        return (y.ToArray<double>(), [.. leaves.Select(leaf => leaf.Grad?.ToArray<double>() ?? new double[leaf.ElementCount])]);
    }

    private static Outcome Compare(string what, double[] actual, double[] expected)
    {
        double scale = Math.Max(1, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]) / scale;
            if (double.IsNaN(error) || error > worst)
            {
                worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                at = i;
            }
        }

        return at < 0
            ? new Outcome(0, what)
            : new Outcome(worst, string.Create(CultureInfo.InvariantCulture, $"{what}[{at}]: float32 {actual[at]:G9}, float64 {expected[at]:G17} (scale {scale:G3})"));
    }
}
