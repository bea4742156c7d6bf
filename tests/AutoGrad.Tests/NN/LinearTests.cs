using AutoGrad.NN;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.NN;

/// <summary><see cref="Linear"/> against <c>x·Wᵀ + b</c> written out in double loops, its parameters, and its initialization.</summary>
public sealed class LinearTests
{
    [Test]
    public void Forward_of_a_batch_is_x_times_W_transposed_plus_b()
    {
        var layer = new Linear(3, 4, new RandomSource(11), dtype: DType.Float64);
        double[,] x = { { 0.5, -1.25, 2 }, { -3, 0.125, 1 }, { 0.75, 0.5, -0.25 }, { 1, 1, 1 }, { 0, -2, 4 } };

        Tensor y = layer.Forward(Tensor.Create(x));

        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { 5, 4 }));
        AssertCloseToReference(y, Reference(x, layer.Weight, layer.Bias), 1e-12);
    }

    [Test]
    public void Forward_of_a_float32_batch_is_x_times_W_transposed_plus_b()
    {
        var layer = new Linear(7, 3, new RandomSource(12));
        Tensor x = Tensor.RandomNormal([6, 7], new RandomSource(13));

        Tensor y = layer.Forward(x);

        Assert.That(y.DType, Is.EqualTo(DType.Float32));
        AssertCloseToReference(y, Reference(ToMatrix(x), layer.Weight, layer.Bias), 1e-5);
    }

    [Test]
    public void Forward_of_one_sample_gives_a_vector()
    {
        var layer = new Linear(3, 2, new RandomSource(14), dtype: DType.Float64);
        double[] x = [0.5, -1.5, 2.5];

        Tensor y = layer.Forward(Tensor.Create(x));

        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { 2 }));
        double[,] expected = Reference(new[,] { { x[0], x[1], x[2] } }, layer.Weight, layer.Bias);
        TestTensors.AssertClose(y, [expected[0, 0], expected[0, 1]], 1e-12);
    }

    [Test]
    public void Without_bias_forward_is_x_times_W_transposed_and_the_only_parameter_is_the_weight()
    {
        var layer = new Linear(3, 2, new RandomSource(15), bias: false, dtype: DType.Float64);
        double[,] x = { { 1, -2, 0.5 }, { 0.25, 3, -1 } };

        Tensor y = layer.Forward(Tensor.Create(x));

        Assert.That(layer.Bias, Is.Null);
        Assert.That(layer.NamedParameters().Select(p => p.Key), Is.EqualTo(new[] { "weight" }));
        AssertCloseToReference(y, Reference(x, layer.Weight, bias: null), 1e-12);
    }

    [Test]
    public void The_parameters_are_weight_out_by_in_and_bias_out_of_the_chosen_dtype()
    {
        var layer = new Linear(5, 3, new RandomSource(1), dtype: DType.Float64);

        Assert.That(layer.InFeatures, Is.EqualTo(5));
        Assert.That(layer.OutFeatures, Is.EqualTo(3));
        Assert.That(layer.NamedParameters().Select(p => p.Key), Is.EqualTo(new[] { "weight", "bias" }));
        Assert.That(layer.Weight.Shape.ToArray(), Is.EqualTo(new[] { 3, 5 }));
        Assert.That(layer.Bias!.Shape.ToArray(), Is.EqualTo(new[] { 3 }));
        Assert.That(layer.Weight.DType, Is.EqualTo(DType.Float64));
        Assert.That(layer.Bias.DType, Is.EqualTo(DType.Float64));
        Assert.That(layer.Weight.IsLeaf && layer.Weight.RequiresGrad && layer.Bias.RequiresGrad, Is.True);
        Assert.That(new Linear(5, 3, new RandomSource(1)).Weight.DType, Is.EqualTo(DType.Float32), "float32 by default");
    }

    [Test]
    public void Forward_gives_the_weight_and_bias_their_gradients()
    {
        // y = x·Wᵀ + b, L = Σ y: dL/dW[o, i] = Σₙ x[n, i], dL/db[o] = N.
        var layer = new Linear(2, 3, new RandomSource(16), dtype: DType.Float64);
        double[,] x = { { 1, 2 }, { -0.5, 4 } };

        layer.Forward(Tensor.Create(x)).Sum().Backward();

        TestTensors.AssertClose(layer.Weight.Grad!, [0.5, 6, 0.5, 6, 0.5, 6], 1e-15);
        TestTensors.AssertClose(layer.Bias!.Grad!, [2, 2, 2], 1e-15);
    }

    [TestCase(1, 1)]
    [TestCase(3, 2)]
    [TestCase(100, 200)]
    [TestCase(400, 50)]
    public void The_default_initialization_lies_within_plus_minus_one_over_the_square_root_of_in(int inFeatures, int outFeatures)
    {
        var layer = new Linear(inFeatures, outFeatures, new RandomSource(inFeatures + outFeatures), dtype: DType.Float64);
        double bound = 1 / Math.Sqrt(inFeatures);

        double[] weights = layer.Weight.ToArray<double>();
        double[] biases = layer.Bias!.ToArray<double>();

        Assert.That(weights, Is.All.InRange(-bound, bound));
        Assert.That(biases, Is.All.InRange(-bound, bound));
        if (weights.Length >= 10_000)
        {
            // Uniform on [−a, a]: with n ≥ 10⁴ draws, the extremes come within 0.1 % of ±a (P(miss) < e⁻¹⁰ each).
            Assert.That(weights.Max(), Is.GreaterThan(0.999 * bound));
            Assert.That(weights.Min(), Is.LessThan(-0.999 * bound));
        }
    }

    [Test]
    public void The_default_float32_initialization_lies_within_the_bound()
    {
        var layer = new Linear(9, 300, new RandomSource(5));
        float bound = (float)(1 / Math.Sqrt(9));

        Assert.That(layer.Weight.ToArray<float>(), Is.All.InRange(-bound, bound));
        Assert.That(layer.Bias!.ToArray<float>(), Is.All.InRange(-bound, bound));
    }

    [Test]
    public void The_default_initialization_has_the_variance_of_the_uniform_distribution()
    {
        // Var U(−a, a) = a²/3 = 1/(3·in). The sample mean of w² has standard error a²·√(4/45)/√n.
        const int In = 250;
        var layer = new Linear(In, 400, new RandomSource(21), dtype: DType.Float64);
        double[] w = layer.Weight.ToArray<double>();
        double a2 = 1.0 / In;

        double meanSquare = w.Average(v => v * v);

        Assert.That(meanSquare, Is.EqualTo(a2 / 3).Within(4 * a2 * Math.Sqrt(4.0 / 45 / w.Length)));
    }

    [Test]
    public void The_same_seed_gives_bit_identical_parameters_and_different_seeds_differ()
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            var a = new Linear(6, 5, new RandomSource(42), dtype: dtype);
            var b = new Linear(6, 5, new RandomSource(42), dtype: dtype);
            var c = new Linear(6, 5, new RandomSource(43), dtype: dtype);

            Assert.That(TestTensors.Bits(a.Weight), Is.EqualTo(TestTensors.Bits(b.Weight)), dtype.ToString());
            Assert.That(TestTensors.Bits(a.Bias!), Is.EqualTo(TestTensors.Bits(b.Bias!)), dtype.ToString());
            Assert.That(TestTensors.Bits(a.Weight), Is.Not.EqualTo(TestTensors.Bits(c.Weight)), dtype.ToString());
            Assert.That(TestTensors.Bits(a.Bias!), Is.Not.EqualTo(TestTensors.Bits(c.Bias!)), dtype.ToString());
        }
    }

    [Test]
    public void Weight_and_bias_are_drawn_from_the_stream_so_they_differ()
    {
        var layer = new Linear(4, 4, new RandomSource(8), dtype: DType.Float64);

        double[] firstRow = layer.Weight.ToArray<double>()[..4];

        Assert.That(layer.Bias!.ToArray<double>(), Is.Not.EqualTo(firstRow));
    }

    [TestCase(0, 1)]
    [TestCase(1, 0)]
    [TestCase(-1, 3)]
    public void Feature_counts_must_be_positive(int inFeatures, int outFeatures)
    {
        Assert.That(() => new Linear(inFeatures, outFeatures, new RandomSource(1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void A_null_random_source_is_rejected()
    {
        Assert.That(() => new Linear(1, 1, null!), Throws.ArgumentNullException);
    }

    [Test]
    public void An_input_of_the_wrong_width_is_rejected()
    {
        var layer = new Linear(3, 2, new RandomSource(1));

        Assert.That(() => layer.Forward(Tensor.Ones([4, 2])), Throws.ArgumentException);
    }

    /// <summary>y[n, o] = Σᵢ x[n, i]·W[o, i] + b[o], in double.</summary>
    private static double[,] Reference(double[,] x, Tensor weight, Tensor? bias)
    {
        int n = x.GetLength(0), inFeatures = x.GetLength(1), outFeatures = weight.Shape[0];
        var y = new double[n, outFeatures];
        for (int row = 0; row < n; row++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = bias is null ? 0 : bias[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += x[row, i] * weight[o, i];
                }

                y[row, o] = sum;
            }
        }

        return y;
    }

    private static double[,] ToMatrix(Tensor t)
    {
        var m = new double[t.Shape[0], t.Shape[1]];
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                m[i, j] = t[i, j];
            }
        }

        return m;
    }

    private static void AssertCloseToReference(Tensor actual, double[,] expected, double tolerance)
    {
        Assert.That(actual.Shape.ToArray(), Is.EqualTo(new[] { expected.GetLength(0), expected.GetLength(1) }));
        for (int i = 0; i < expected.GetLength(0); i++)
        {
            for (int j = 0; j < expected.GetLength(1); j++)
            {
                Assert.That(actual[i, j], Is.EqualTo(expected[i, j]).Within(tolerance), $"y[{i}, {j}]");
            }
        }
    }
}
