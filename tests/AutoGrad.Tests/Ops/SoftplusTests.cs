using AutoGrad.Tests.Support;
using static AutoGrad.Tests.Kernels.OperatorTestData;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Softplus, <c>log(1 + eˣ)</c>, in float32 and float64: against <see cref="Reference"/>, a careful log1p(exp(x))
/// in float64, over a dense sweep; exactly x for large x, eˣ to a few ulp for very negative x; and its gradient σ(x).
/// </summary>
public sealed class SoftplusTests
{
    private const int SweepLength = 20_001;

    /// <summary>
    /// log(1 + eˣ) in float64, to about an ulp: for x ≤ 0, with t = eˣ and u = 1 + t rounded, <c>log1p(t) = log u + (t − (u − 1))/u</c>
    /// (the first-order correction for the rounding of u, computed exactly); for x &gt; 0, <c>x + log1p(e^−x)</c>.
    /// </summary>
    public static double Reference(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x > 0)
        {
            return x + Reference(-x);
        }

        double t = Math.Exp(x);
        double u = 1 + t;
        return u == 1 ? t : Math.Log(u) + ((t - (u - 1)) / u);
    }

    [TestCase(DType.Float32, -120, 40, 4)]
    [TestCase(DType.Float32, -6, 6, 4)]
    [TestCase(DType.Float64, -760, 60, 5)]
    [TestCase(DType.Float64, -6, 6, 5)]
    public void A_dense_sweep_is_within_a_few_ulp_of_log1p_of_exp(DType dtype, double low, double high, double ulpBound)
    {
        double[] x = [.. Enumerable.Range(0, SweepLength).Select(i => low + ((high - low) * i / (SweepLength - 1)))];
        Tensor input = Tensor.Create(x).ToDType(dtype);
        double[] exact = [.. Doubles(input).Select(Reference)];

        double[] y = Doubles(input.Softplus());

        Func<int, double> error = dtype == DType.Float32 ? i => UlpError((float)y[i], exact[i]) : i => UlpError(y[i], exact[i]);
        double worst = Enumerable.Range(0, x.Length).Max(error);
        Assert.That(
            Failures(x.Length, i => error(i) <= ulpBound, i => $"x = {Doubles(input)[i]:R}: expected {exact[i]:R}, got {y[i]:R} ({error(i):G3} ulp)"),
            Is.Empty,
            $"worst {worst:G3} ulp");
    }

    [TestCase(DType.Float32, new[] { 17.0, 20, 100, 1e10, 1e30, 3.4028234663852886e38 })]
    [TestCase(DType.Float64, new[] { 37.0, 40, 1000, 1e10, 1e300, double.MaxValue })]
    public void Large_positive_inputs_give_x_exactly(DType dtype, double[] x)
    {
        Tensor input = Tensor.Create(x).ToDType(dtype);

        // log(1 + eˣ) = x + log1p(e^−x), and e^−x is below half an ulp of x.
        Assert.That(Doubles(input.Softplus()), Is.EqualTo(Doubles(input)));
    }

    [TestCase(DType.Float32, new[] { -20.0, -50, -80, -87.3, -95, -100, -103 })]
    [TestCase(DType.Float64, new[] { -40.0, -50, -300, -700, -708, -720, -740 })]
    public void Very_negative_inputs_give_e_to_the_x_to_a_few_ulp_also_where_it_is_subnormal(DType dtype, double[] x)
    {
        Tensor input = Tensor.Create(x).ToDType(dtype);
        x = Doubles(input);

        double[] y = Doubles(input.Softplus());

        // log(1 + eˣ) = eˣ (1 − eˣ/2 + ...), and eˣ/2 is below an ulp: the result is eˣ, which rounding 1 + eˣ would lose.
        Assert.That(
            Failures(x.Length, i => (dtype == DType.Float32 ? UlpError((float)y[i], Math.Exp(x[i])) : UlpError(y[i], Math.Exp(x[i]))) <= 2, i => $"x = {x[i]}: e^x = {Math.Exp(x[i]):R}, got {y[i]:R}"),
            Is.Empty);
        Assert.That(y, Is.All.Positive);
    }

    [Test]
    public void Softplus_of_minus_50_is_e_to_the_minus_50_in_float64_within_2_ulp()
    {
        double y = Tensor.Create(new[] { -50.0 }).Softplus().Item();

        Assert.That(UlpError(y, Math.Exp(-50)), Is.LessThanOrEqualTo(2), $"{y:R} against {Math.Exp(-50):R}");
    }

    [TestCase(DType.Float32, new[] { -110.0, -1000, -1e30, -3.4028234663852886e38 })]
    [TestCase(DType.Float64, new[] { -746.0, -800, -1e300, -double.MaxValue })]
    public void Inputs_below_underflow_give_plus_0(DType dtype, double[] x)
    {
        double[] y = Doubles(Tensor.Create(x).ToDType(dtype).Softplus());

        Assert.That(y, Is.All.EqualTo(0));
        Assert.That(y.Select(double.IsNegative), Is.All.False, "+0, not −0");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Special_values(DType dtype)
    {
        Tensor x = Tensor.Create(new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0.0, -0.0 }).ToDType(dtype);

        double[] y = Doubles(x.Softplus());

        double ln2 = dtype == DType.Float32 ? (float)Math.Log(2) : Math.Log(2);
        Assert.Multiple(() =>
        {
            Assert.That(y[0], Is.EqualTo(double.PositiveInfinity));
            Assert.That(y[1], Is.EqualTo(0));
            Assert.That(double.IsNegative(y[1]), Is.False, "+0 at −∞");
            Assert.That(y[2], Is.NaN);
            Assert.That(y[3], Is.EqualTo(ln2));
            Assert.That(y[4], Is.EqualTo(ln2));
        });
    }

    [TestCase(DType.Float32, 1e-6)]
    [TestCase(DType.Float64, 1e-15)]
    public void Gradient_is_the_sigmoid_times_dy(DType dtype, double tolerance)
    {
        double[] values = [-30, -5, -1, -0.25, 0, 0.5, 2, 7, 30];
        double[] weights = [1, -2, 0.5, 3, 1, -1, 2, 0.25, 4];
        Tensor x = Tensor.Create(values).ToDType(dtype).RequireGrad();
        Tensor w = Tensor.Create(weights).ToDType(dtype);

        (x.Softplus() * w).Sum().Backward();

        double[] expected = [.. values.Select((v, i) => weights[i] / (1 + Math.Exp(-v)))];
        double[] actual = Doubles(x.Grad!);
        Assert.That(
            Failures(values.Length, i => Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Abs(expected[i]), i => $"x = {values[i]}: expected {expected[i]:R}, got {actual[i]:R}"),
            Is.Empty);
        Assert.That(actual[4], Is.EqualTo(0.5), "σ(0) = 1/2 exactly");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Gradient_is_finite_and_exact_at_extreme_and_infinite_inputs_and_NaN_at_NaN(DType dtype)
    {
        Tensor x = Tensor.Create(new[] { 1000.0, -1000.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN }).ToDType(dtype).RequireGrad();

        x.Softplus().Sum().Backward();

        double[] grad = Doubles(x.Grad!);
        Assert.That(grad[..4], Is.EqualTo(new[] { 1.0, 0, 1, 0 }));
        Assert.That(grad[4], Is.NaN);
    }

    [Test]
    public void Fan_out_accumulates_the_gradient()
    {
        Tensor x = Tensor.Create(new[] { -1.0, 0.0, 2.0 }).RequireGrad();

        (x.Softplus() + (3 * x.Softplus())).Sum().Backward();

        TestTensors.AssertClose(x.Grad!, [4 / (1 + Math.E), 2, 4 / (1 + Math.Exp(-2))], 1e-15);
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Long_tensors_match_the_reference_in_every_position(DType dtype)
    {
        // Long enough for the parallel split and every vector width: the same bound as the sweep.
        Tensor x = Tensor.RandomNormal([5, 4099], new RandomSource(12), 0, 8, DType.Float64).ToDType(dtype);
        double[] input = Doubles(x);

        double[] y = Doubles(x.Softplus());

        Func<int, double> error = dtype == DType.Float32 ? i => UlpError((float)y[i], Reference(input[i])) : i => UlpError(y[i], Reference(input[i]));
        Assert.That(Failures(y.Length, i => error(i) <= 5, i => $"x = {input[i]:R}: expected {Reference(input[i]):R}, got {y[i]:R}"), Is.Empty);
    }

    private static double[] Doubles(Tensor t) => t.ToDType(DType.Float64).ToArray<double>();
}
