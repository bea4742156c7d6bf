using AutoGrad.NN;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.NN;

/// <summary>
/// <see cref="Init"/>: the statistics of large draws against the published formulas (Glorot and Bengio 2010; He et al.
/// 2015; PyTorch's <c>calculate_gain</c>), fans, errors, and determinism.
/// </summary>
/// <remarks>
/// Each statistic is checked within <see cref="StandardErrors"/> standard errors of its sampling distribution, computed
/// from n: for n i.i.d. draws of variance σ², the sample mean has standard error σ/√n; the mean of squares (the
/// variance about the known mean 0) has standard error √((E[x⁴] − σ⁴)/n), which is σ²·√(4/5)/√n for a uniform
/// (E[x⁴] = a⁴/5, σ² = a²/3) and σ²·√(2/n) for a normal; a fraction p has standard error √(p(1 − p)/n).
/// A gain or fan that is off by even 5 % moves the variance by ~10 %, dozens of standard errors at n = 500 000.
/// </remarks>
public sealed class InitTests
{
    private const double StandardErrors = 4;

    // [out, in] = [1000, 500]: fanIn = 500, fanOut = 1000, so fan-in and fan-out differ by a factor of 2.
    private static readonly int[] Large = [1000, 500];

    private static readonly double Sqrt2 = Math.Sqrt(2);

    /// <summary>Name, initializer, shape, whether uniform, and the expected bound (uniform) or standard deviation (normal).</summary>
    private static readonly (string Name, Action<Tensor, RandomSource> Apply, int[] Shape, bool Uniform, double Scale)[] Cases =
    [
        ("XavierUniform", (t, r) => Init.XavierUniform(t, r), Large, true, Math.Sqrt(6.0 / 1500)),
        ("XavierUniform gain 5/3", (t, r) => Init.XavierUniform(t, r, 5.0 / 3), Large, true, 5.0 / 3 * Math.Sqrt(6.0 / 1500)),
        ("XavierUniform gain of relu", (t, r) => Init.XavierUniform(t, r, Init.Gain(Nonlinearity.Relu)), Large, true, Sqrt2 * Math.Sqrt(6.0 / 1500)),
        ("XavierNormal", (t, r) => Init.XavierNormal(t, r), Large, false, Math.Sqrt(2.0 / 1500)),
        ("XavierNormal gain √2", (t, r) => Init.XavierNormal(t, r, Sqrt2), Large, false, Sqrt2 * Math.Sqrt(2.0 / 1500)),
        ("KaimingUniform defaults (relu, fan-in)", (t, r) => Init.KaimingUniform(t, r), Large, true, Sqrt2 * Math.Sqrt(3.0 / 500)),
        ("KaimingUniform relu fan-out", (t, r) => Init.KaimingUniform(t, r, Nonlinearity.Relu, FanMode.FanOut), Large, true, Sqrt2 * Math.Sqrt(3.0 / 1000)),
        (
            "KaimingUniform leaky relu 0.2 fan-in",
            (t, r) => Init.KaimingUniform(t, r, Nonlinearity.LeakyRelu, FanMode.FanIn, negativeSlope: 0.2),
            Large,
            true,
            Math.Sqrt(2 / 1.04) * Math.Sqrt(3.0 / 500)),
        ("KaimingUniform tanh fan-out", (t, r) => Init.KaimingUniform(t, r, Nonlinearity.Tanh, FanMode.FanOut), Large, true, 5.0 / 3 * Math.Sqrt(3.0 / 1000)),
        ("KaimingUniform linear fan-in", (t, r) => Init.KaimingUniform(t, r, Nonlinearity.Linear), Large, true, Math.Sqrt(3.0 / 500)),
        ("KaimingNormal defaults (relu, fan-in)", (t, r) => Init.KaimingNormal(t, r), Large, false, Sqrt2 / Math.Sqrt(500)),
        ("KaimingNormal relu fan-out", (t, r) => Init.KaimingNormal(t, r, Nonlinearity.Relu, FanMode.FanOut), Large, false, Sqrt2 / Math.Sqrt(1000)),
        ("KaimingNormal leaky relu, slope 0 by default", (t, r) => Init.KaimingNormal(t, r, Nonlinearity.LeakyRelu), Large, false, Sqrt2 / Math.Sqrt(500)),
        (
            "KaimingNormal leaky relu 0.5 fan-out",
            (t, r) => Init.KaimingNormal(t, r, Nonlinearity.LeakyRelu, FanMode.FanOut, negativeSlope: 0.5),
            Large,
            false,
            Math.Sqrt(2 / 1.25) / Math.Sqrt(1000)),
        ("KaimingNormal tanh fan-in", (t, r) => Init.KaimingNormal(t, r, Nonlinearity.Tanh), Large, false, 5.0 / 3 / Math.Sqrt(500)),
        ("KaimingNormal linear fan-out", (t, r) => Init.KaimingNormal(t, r, Nonlinearity.Linear, FanMode.FanOut), Large, false, 1 / Math.Sqrt(1000)),
        ("KaimingNormal sigmoid fan-in", (t, r) => Init.KaimingNormal(t, r, Nonlinearity.Sigmoid), Large, false, 1 / Math.Sqrt(500)),

        // A convolution weight [out, in, k, k] = [64, 32, 3, 3]: fanIn = 32·9 = 288, fanOut = 64·9 = 576.
        ("KaimingNormal relu fan-out of a conv weight", (t, r) => Init.KaimingNormal(t, r, Nonlinearity.Relu, FanMode.FanOut), [64, 32, 3, 3], false, Sqrt2 / Math.Sqrt(576)),
        ("KaimingUniform relu fan-in of a conv weight", (t, r) => Init.KaimingUniform(t, r), [64, 32, 3, 3], true, Sqrt2 * Math.Sqrt(3.0 / 288)),
        ("XavierUniform of a conv weight", (t, r) => Init.XavierUniform(t, r), [64, 32, 3, 3], true, Math.Sqrt(6.0 / (288 + 576))),
    ];

    // Float32 holds the float64 draws rounded (checked bit for bit below), so one case of each initializer suffices.
    private static readonly HashSet<string> AlsoInFloat32 =
        ["XavierUniform", "XavierNormal", "KaimingUniform defaults (relu, fan-in)", "KaimingNormal relu fan-out"];

    public static IEnumerable<TestCaseData> Distributions()
    {
        int seed = 100;
        foreach (var c in Cases)
        {
            foreach (DType dtype in new[] { DType.Float64, DType.Float32 })
            {
                if (dtype == DType.Float32 && !AlsoInFloat32.Contains(c.Name))
                {
                    continue;
                }

                yield return new TestCaseData(c.Apply, c.Shape, c.Uniform, c.Scale, dtype, seed++)
                    .SetName($"Init {c.Name} on {Shapes.Format(c.Shape)} {dtype.Name()}: mean 0 and the formula's spread");
            }
        }
    }

    [TestCaseSource(nameof(Distributions))]
    public void A_large_draw_has_mean_zero_and_the_variance_of_the_formula(
        Action<Tensor, RandomSource> apply, int[] shape, bool uniform, double scale, DType dtype, int seed)
    {
        Tensor t = Tensor.Zeros(shape, dtype);

        apply(t, new RandomSource(seed));

        double[] x = t.ToDType(DType.Float64).ToArray<double>();
        if (uniform)
        {
            AssertUniform(x, bound: scale, dtype);
        }
        else
        {
            AssertNormal(x, standardDeviation: scale);
        }
    }

    [Test]
    public void The_assertions_tell_uniform_from_normal_and_catch_a_five_percent_error()
    {
        // The statistical checks are able to fail: a normal of the same variance is not uniform, and vice versa,
        // and a scale off by 5 % is rejected.
        double bound = 0.1;
        Tensor u = Tensor.RandomUniform(Large, new RandomSource(1), -bound, bound, DType.Float64);
        Tensor n = Tensor.RandomNormal(Large, new RandomSource(2), 0, bound / Math.Sqrt(3), DType.Float64);
        double[] uniform = u.ToArray<double>(), normal = n.ToArray<double>();

        Assert.That(() => AssertUniform(uniform, bound, DType.Float64), Throws.Nothing);
        Assert.That(() => AssertNormal(normal, bound / Math.Sqrt(3)), Throws.Nothing);
        Assert.That(() => AssertUniform(normal, bound, DType.Float64), Throws.InstanceOf<AssertionException>());
        Assert.That(() => AssertNormal(uniform, bound / Math.Sqrt(3)), Throws.InstanceOf<AssertionException>());
        Assert.That(() => AssertUniform(uniform, bound * 1.05, DType.Float64), Throws.InstanceOf<AssertionException>());
        Assert.That(() => AssertNormal(normal, bound / Math.Sqrt(3) * 1.05), Throws.InstanceOf<AssertionException>());
        Assert.That(() => AssertNormal(normal, bound / Math.Sqrt(3) / 1.05), Throws.InstanceOf<AssertionException>());
    }

    // ---- Gains ----

    [Test]
    public void Gains_are_those_of_pytorchs_calculate_gain()
    {
        Assert.That(Init.Gain(Nonlinearity.Linear), Is.EqualTo(1));
        Assert.That(Init.Gain(Nonlinearity.Sigmoid), Is.EqualTo(1));
        Assert.That(Init.Gain(Nonlinearity.Tanh), Is.EqualTo(1.6666666666666667).Within(1e-15));
        Assert.That(Init.Gain(Nonlinearity.Relu), Is.EqualTo(1.4142135623730951).Within(1e-15));
        Assert.That(Init.Gain(Nonlinearity.LeakyRelu), Is.EqualTo(1.4141428569978354).Within(1e-15), "slope 0.01 by default");
        Assert.That(Init.Gain(Nonlinearity.LeakyRelu, 0.2), Is.EqualTo(1.3867504905630728).Within(1e-15));
        Assert.That(Init.Gain(Nonlinearity.LeakyRelu, 0), Is.EqualTo(1.4142135623730951).Within(1e-15));
        Assert.That(() => Init.Gain((Nonlinearity)99), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    // ---- Fans ----

    [TestCase(new[] { 7, 3 }, 3, 7)]
    [TestCase(new[] { 1, 1 }, 1, 1)]
    [TestCase(new[] { 8, 3, 5, 5 }, 75, 200)]
    [TestCase(new[] { 4, 2, 3 }, 6, 12)]
    [TestCase(new[] { 16, 4, 3, 2, 5 }, 120, 480)]
    public void Fans_are_in_and_out_times_the_receptive_field(int[] shape, int fanIn, int fanOut)
    {
        (int actualIn, int actualOut) = Init.Fans(Tensor.Zeros(shape));

        Assert.That((actualIn, actualOut), Is.EqualTo((fanIn, fanOut)));
    }

    public static IEnumerable<TestCaseData> FanUsers()
    {
        var random = new RandomSource(1);
        yield return new TestCaseData((Action<Tensor>)(t => Init.Fans(t))).SetName("Fans needs two axes");
        yield return new TestCaseData((Action<Tensor>)(t => Init.XavierUniform(t, random))).SetName("XavierUniform needs two axes");
        yield return new TestCaseData((Action<Tensor>)(t => Init.XavierNormal(t, random))).SetName("XavierNormal needs two axes");
        yield return new TestCaseData((Action<Tensor>)(t => Init.KaimingUniform(t, random))).SetName("KaimingUniform needs two axes");
        yield return new TestCaseData((Action<Tensor>)(t => Init.KaimingNormal(t, random))).SetName("KaimingNormal needs two axes");
    }

    [TestCaseSource(nameof(FanUsers))]
    public void A_tensor_of_fewer_than_two_axes_has_no_fans(Action<Tensor> apply)
    {
        Tensor vector = Tensor.Ones([5]);
        Tensor scalar = Tensor.Scalar(1);

        Assert.That(() => apply(vector), Throws.ArgumentException.With.Message.Contains("[5]"));
        Assert.That(() => apply(scalar), Throws.ArgumentException.With.Message.Contains("[]"));
        Assert.That(vector.ToArray<float>(), Is.All.EqualTo(1f), "the tensor is unchanged");
    }

    [TestCase(0, 4)]
    [TestCase(4, 0)]
    [TestCase(0, 0)]
    public void A_weight_without_elements_is_left_alone_whatever_its_fans(int fanOut, int fanIn)
    {
        var random = new RandomSource(1);
        Action<Tensor>[] initializers =
        [
            t => Init.XavierUniform(t, random),
            t => Init.XavierNormal(t, random),
            t => Init.KaimingUniform(t, random, mode: FanMode.FanIn),
            t => Init.KaimingNormal(t, random, mode: FanMode.FanOut),
        ];

        foreach (Action<Tensor> initialize in initializers)
        {
            Tensor empty = Tensor.Zeros([fanOut, fanIn]);
            Assert.That(() => initialize(empty), Throws.Nothing);
            Assert.That(empty.Shape.ToArray(), Is.EqualTo(new[] { fanOut, fanIn }));
        }

        Assert.That(random.NextUInt64(), Is.EqualTo(new RandomSource(1).NextUInt64()), "no number was drawn");
    }

    // ---- Plain initializers ----

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Zeros_and_Constant_fill_a_parameter_without_recording(DType dtype)
    {
        var layer = new Linear(3, 2, new RandomSource(1), dtype: dtype);

        Init.Constant(layer.Weight, 0.1);
        Init.Zeros(layer.Bias!);

        double expected = dtype == DType.Float32 ? (float)0.1 : 0.1;
        Assert.That(layer.Weight.ToDType(DType.Float64).ToArray<double>(), Is.All.EqualTo(expected));
        Assert.That(layer.Bias!.ToDType(DType.Float64).ToArray<double>(), Is.All.EqualTo(0.0));
        Assert.That(layer.Weight.IsLeaf && layer.Weight.RequiresGrad, Is.True);
    }

    [Test]
    public void Initializers_overwrite_a_parameter_that_requires_a_gradient_and_keep_it_a_leaf()
    {
        var layer = new Linear(30, 20, new RandomSource(1), dtype: DType.Float64);
        double[] before = layer.Weight.ToArray<double>();

        Init.KaimingNormal(layer.Weight, new RandomSource(2));

        Assert.That(layer.Weight.ToArray<double>(), Is.Not.EqualTo(before));
        Assert.That(layer.Weight.IsLeaf && layer.Weight.RequiresGrad, Is.True);
        Assert.That(layer.Weight.Shape.ToArray(), Is.EqualTo(new[] { 20, 30 }));
    }

    [Test]
    public void Uniform_draws_within_its_interval_with_its_mean_and_variance()
    {
        Tensor t = Tensor.Zeros(Large, DType.Float64);

        Init.Uniform(t, new RandomSource(3), 2, 5);

        double[] x = t.ToArray<double>();
        double n = x.Length, sigma = 3 / Math.Sqrt(12);
        Assert.That(x, Is.All.InRange(2.0, 5.0));
        Assert.That(x.Max(), Is.LessThan(5.0));
        Assert.That(x.Average(), Is.EqualTo(3.5).Within(StandardErrors * sigma / Math.Sqrt(n)));
        double variance = x.Average(v => (v - 3.5) * (v - 3.5));
        Assert.That(variance, Is.EqualTo(sigma * sigma).Within(StandardErrors * sigma * sigma * Math.Sqrt(0.8 / n)));
    }

    [Test]
    public void Normal_draws_with_its_mean_and_standard_deviation()
    {
        Tensor t = Tensor.Zeros(Large, DType.Float64);

        Init.Normal(t, new RandomSource(4), mean: -1, standardDeviation: 2);

        AssertNormal([.. t.ToArray<double>().Select(v => v + 1)], standardDeviation: 2);
    }

    // ---- Determinism ----

    public static IEnumerable<TestCaseData> Initializers()
    {
        yield return new TestCaseData((Action<Tensor, RandomSource>)((t, r) => Init.XavierUniform(t, r))).SetName("XavierUniform is deterministic");
        yield return new TestCaseData((Action<Tensor, RandomSource>)((t, r) => Init.XavierNormal(t, r))).SetName("XavierNormal is deterministic");
        yield return new TestCaseData((Action<Tensor, RandomSource>)((t, r) => Init.KaimingUniform(t, r))).SetName("KaimingUniform is deterministic");
        yield return new TestCaseData((Action<Tensor, RandomSource>)((t, r) => Init.KaimingNormal(t, r))).SetName("KaimingNormal is deterministic");
        yield return new TestCaseData((Action<Tensor, RandomSource>)((t, r) => Init.Uniform(t, r, -1, 3))).SetName("Uniform is deterministic");
        yield return new TestCaseData((Action<Tensor, RandomSource>)((t, r) => Init.Normal(t, r, 1, 2))).SetName("Normal is deterministic");
    }

    [TestCaseSource(nameof(Initializers))]
    public void The_same_seed_gives_bit_identical_values_in_float32_and_float64_and_another_seed_differs(Action<Tensor, RandomSource> apply)
    {
        int[] shape = [40, 30];
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            Tensor a = Tensor.Zeros(shape, dtype), b = Tensor.Zeros(shape, dtype), c = Tensor.Zeros(shape, dtype);

            apply(a, new RandomSource(9));
            apply(b, new RandomSource(9));
            apply(c, new RandomSource(10));

            Assert.That(TestTensors.Bits(a), Is.EqualTo(TestTensors.Bits(b)), dtype.Name());
            Assert.That(TestTensors.Bits(a), Is.Not.EqualTo(TestTensors.Bits(c)), dtype.Name());
        }

        // A float32 tensor holds the float64 draws, rounded.
        Tensor wide = Tensor.Zeros(shape, DType.Float64), narrow = Tensor.Zeros(shape, DType.Float32);
        apply(wide, new RandomSource(9));
        apply(narrow, new RandomSource(9));
        Assert.That(narrow.ToArray<float>(), Is.EqualTo(wide.ToArray<double>().Select(v => (float)v).ToArray()));
    }

    private static void AssertUniform(double[] x, double bound, DType dtype)
    {
        double n = x.Length;
        double variance = bound * bound / 3;

        // Float32 rounding may carry a draw past the double bound by half an ulp.
        double limit = dtype == DType.Float32 ? bound * (1 + 1e-7) : bound;
        Assert.That(x, Is.All.InRange(-limit, limit), "every draw lies within ±bound");

        // With n ≥ 18 000 draws the extremes come within 0.1 % of ±bound (P(miss) < e⁻⁹).
        Assert.That(x.Max(), Is.GreaterThan(bound * 0.999), "the largest draw is near +bound");
        Assert.That(x.Min(), Is.LessThan(-bound * 0.999), "the smallest draw is near −bound");
        Assert.That(x.Average(), Is.EqualTo(0).Within(StandardErrors * Math.Sqrt(variance / n)), "mean");
        Assert.That(x.Average(v => v * v), Is.EqualTo(variance).Within(StandardErrors * variance * Math.Sqrt(0.8 / n)), "variance bound²/3");
    }

    private static void AssertNormal(double[] x, double standardDeviation)
    {
        double n = x.Length;
        double variance = standardDeviation * standardDeviation;
        const double WithinOneSigma = 0.6826894921370859; // erf(1/√2)

        Assert.That(x.Average(), Is.EqualTo(0).Within(StandardErrors * standardDeviation / Math.Sqrt(n)), "mean");
        Assert.That(x.Average(v => v * v), Is.EqualTo(variance).Within(StandardErrors * variance * Math.Sqrt(2 / n)), "variance σ²");
        double fraction = x.Count(v => Math.Abs(v) <= standardDeviation) / n;
        Assert.That(
            fraction,
            Is.EqualTo(WithinOneSigma).Within(StandardErrors * Math.Sqrt(WithinOneSigma * (1 - WithinOneSigma) / n)),
            "the fraction within one σ is that of a normal");
    }
}
