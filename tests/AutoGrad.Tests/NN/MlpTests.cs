using AutoGrad.NN;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.NN;

/// <summary>
/// <see cref="Mlp"/>: its layers, the validation of its sizes, the activation factory, and its gradients, checked in
/// float64 against central differences (with respect to the input through <see cref="GradientCheck"/>, and with respect
/// to every parameter by perturbing the parameter itself).
/// </summary>
public sealed class MlpTests
{
    [Test]
    public void Layers_alternate_linear_and_relu_with_no_activation_after_the_last()
    {
        var mlp = new Mlp([2, 3, 4, 1], new RandomSource(1));

        Assert.That(mlp.Layers, Has.Count.EqualTo(5));
        Assert.That(mlp.Layers.Select(m => m.GetType()), Is.EqualTo(new[] { typeof(Linear), typeof(Relu), typeof(Linear), typeof(Relu), typeof(Linear) }));
        int[][] sizes = [.. mlp.Layers.OfType<Linear>().Select(l => new[] { l.InFeatures, l.OutFeatures })];
        Assert.That(sizes, Is.EqualTo(new[] { new[] { 2, 3 }, new[] { 3, 4 }, new[] { 4, 1 } }));
        Assert.That(mlp.Layers.OfType<Linear>().All(l => l.Bias is not null), Is.True);
    }

    [Test]
    public void Two_sizes_make_a_single_linear_layer()
    {
        var mlp = new Mlp([5, 2], new RandomSource(1));

        Assert.That(mlp.Layers, Has.Count.EqualTo(1));
        Assert.That(mlp.Layers[0], Is.InstanceOf<Linear>());
        Assert.That(mlp.NamedParameters().Select(p => p.Key), Is.EqualTo(new[] { "layers.0.weight", "layers.0.bias" }));
    }

    [Test]
    public void Forward_is_the_composition_of_its_layers()
    {
        var mlp = new Mlp([3, 4, 2], new RandomSource(3), dtype: DType.Float64);
        var first = (Linear)mlp.Layers[0];
        var last = (Linear)mlp.Layers[2];
        double[] x = [0.5, -1, 2];

        double[] y = mlp.Forward(Tensor.Create(x)).ToArray<double>();

        // Written out: h = relu(W₁x + b₁), y = W₂h + b₂.
        var h = new double[4];
        for (int o = 0; o < 4; o++)
        {
            double sum = first.Bias![o];
            for (int i = 0; i < 3; i++)
            {
                sum += first.Weight[o, i] * x[i];
            }

            h[o] = Math.Max(sum, 0);
        }

        for (int o = 0; o < 2; o++)
        {
            double sum = last.Bias![o];
            for (int i = 0; i < 4; i++)
            {
                sum += last.Weight[o, i] * h[i];
            }

            Assert.That(y[o], Is.EqualTo(sum).Within(1e-12), $"y[{o}]");
        }
    }

    [Test]
    public void The_same_seed_builds_the_same_network_bit_for_bit()
    {
        var a = new Mlp([3, 5, 2], new RandomSource(77));
        var b = new Mlp([3, 5, 2], new RandomSource(77));
        var c = new Mlp([3, 5, 2], new RandomSource(78));

        Tensor[] pa = [.. a.Parameters()], pb = [.. b.Parameters()], pc = [.. c.Parameters()];
        for (int i = 0; i < pa.Length; i++)
        {
            Assert.That(TestTensors.Bits(pa[i]), Is.EqualTo(TestTensors.Bits(pb[i])), $"parameter {i}");
            Assert.That(TestTensors.Bits(pa[i]), Is.Not.EqualTo(TestTensors.Bits(pc[i])), $"parameter {i}");
        }
    }

    [Test]
    public void Layers_draw_from_the_shared_source_so_equal_layers_differ()
    {
        var mlp = new Mlp([3, 3, 3], new RandomSource(4));

        Assert.That(((Linear)mlp.Layers[0]).Weight.ToArray<float>(), Is.Not.EqualTo(((Linear)mlp.Layers[2]).Weight.ToArray<float>()));
    }

    [Test]
    public void The_dtype_applies_to_every_parameter()
    {
        var mlp = new Mlp([2, 3, 1], new RandomSource(1), dtype: DType.Float64);

        Assert.That(mlp.Parameters().Select(p => p.DType), Is.All.EqualTo(DType.Float64));
        Assert.That(new Mlp([2, 3, 1], new RandomSource(1)).Parameters().Select(p => p.DType), Is.All.EqualTo(DType.Float32));
    }

    [Test]
    public void A_custom_activation_factory_makes_a_fresh_activation_for_each_gap()
    {
        int calls = 0;
        var mlp = new Mlp([2, 3, 4, 5, 1], new RandomSource(1), () =>
        {
            calls++;
            return new LeakyRelu(0.3);
        });

        Module[] activations = [mlp.Layers[1], mlp.Layers[3], mlp.Layers[5]];

        Assert.That(calls, Is.EqualTo(3));
        Assert.That(activations, Is.All.InstanceOf<LeakyRelu>());
        Assert.That(activations.Distinct().Count(), Is.EqualTo(3), "each gap has its own module");
        Assert.That(mlp.Layers, Has.Count.EqualTo(7));
    }

    [Test]
    public void A_custom_activation_is_used_in_forward()
    {
        var tanhMlp = new Mlp([2, 3, 1], new RandomSource(6), () => new Tanh(), DType.Float64);
        var first = (Linear)tanhMlp.Layers[0];
        var last = (Linear)tanhMlp.Layers[2];
        Tensor x = Tensor.Create(new[] { 1.5, -0.5 });

        Tensor expected = last.Forward(first.Forward(x).Tanh());

        TestTensors.AssertClose(tanhMlp.Forward(x), expected.ToArray<double>(), 1e-15);
    }

    public static IEnumerable<TestCaseData> BadSizes()
    {
        yield return new TestCaseData(Array.Empty<int>()).SetName("Mlp rejects no sizes");
        yield return new TestCaseData(new[] { 3 }).SetName("Mlp rejects one size");
        yield return new TestCaseData(new[] { 2, 0, 1 }).SetName("Mlp rejects a zero hidden size");
        yield return new TestCaseData(new[] { 0, 2 }).SetName("Mlp rejects a zero input size");
        yield return new TestCaseData(new[] { 2, 3, -1 }).SetName("Mlp rejects a negative output size");
    }

    [TestCaseSource(nameof(BadSizes))]
    public void Invalid_sizes_are_rejected_with_the_sizes_in_the_message(int[] sizes)
    {
        Assert.That(
            () => new Mlp(sizes, new RandomSource(1)),
            Throws.ArgumentException.With.Message.Contains("[" + string.Join(", ", sizes) + "]"));
    }

    [Test]
    public void Null_arguments_are_rejected()
    {
        Assert.That(() => new Mlp(null!, new RandomSource(1)), Throws.ArgumentNullException);
        Assert.That(() => new Mlp([1, 1], null!), Throws.ArgumentNullException);
    }

    // ---- Gradients, in float64 against central differences ----

    [Test]
    public void The_gradient_with_respect_to_the_input_matches_central_differences()
    {
        var mlp = new Mlp([3, 5, 4, 2], new RandomSource(31), () => new Tanh(), DType.Float64);
        Tensor x = TestTensors.AwayFromZero([4, 3], seed: 32);

        GradientCheckResult result = GradientCheck.Run(mlp.Forward, x);

        Assert.That(result.InputIndex, Is.Zero);
        Assert.That(result.MaxError, Is.LessThan(1e-7), result.ToString());
    }

    [Test]
    public void The_gradient_of_a_relu_mlp_with_respect_to_the_input_matches_central_differences()
    {
        var mlp = new Mlp([2, 6, 3], new RandomSource(41), dtype: DType.Float64);
        Tensor x = TestTensors.AwayFromZero([5, 2], seed: 42);

        GradientCheckResult result = GradientCheck.Run(v => mlp.Forward(v).Sigmoid(), x);

        Assert.That(result.MaxError, Is.LessThan(1e-7), result.ToString());
    }

    [TestCase(false)]
    [TestCase(true)]
    public void The_gradient_with_respect_to_every_parameter_matches_central_differences(bool relu)
    {
        var mlp = relu
            ? new Mlp([3, 4, 3, 2], new RandomSource(51), dtype: DType.Float64)
            : new Mlp([3, 4, 3, 2], new RandomSource(51), () => new Tanh(), DType.Float64);
        Tensor x = TestTensors.AwayFromZero([5, 3], seed: 52);
        Tensor weights = TestTensors.AwayFromZero([5, 2], seed: 53);
        Tensor Loss() => (mlp.Forward(x).Tanh() * weights).Sum();

        Loss().Backward();

        const double Epsilon = 1e-6;
        int checkedCount = 0;
        foreach ((string name, Tensor parameter) in mlp.NamedParameters())
        {
            double[] analytic = parameter.Grad!.ToArray<double>();
            Span<double> values = parameter.AsSpan<double>();
            for (int k = 0; k < values.Length; k++)
            {
                double original = values[k];
                double plus, minus;
                using (Tensor.NoGrad())
                {
                    values[k] = original + Epsilon;
                    plus = Loss().Item();
                    values[k] = original - Epsilon;
                    minus = Loss().Item();
                    values[k] = original;
                }

                double numeric = (plus - minus) / (2 * Epsilon);
                Assert.That(analytic[k], Is.EqualTo(numeric).Within(1e-7 * Math.Max(1, Math.Abs(numeric))), $"d loss / d {name}[{k}]");
                checkedCount++;
            }
        }

        Assert.That(checkedCount, Is.EqualTo(mlp.ParameterCount));
    }
}
