using AutoGrad.NN;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.NN;

/// <summary><see cref="Sequential"/> (order, positional names, the empty chain, the list view) and the activation modules.</summary>
public sealed class SequentialTests
{
    [Test]
    public void Modules_are_applied_in_order_first_first()
    {
        // (x + 1)·3 differs from x·3 + 1, so the order shows.
        var chain = new Sequential(new AddConstant(1), new Scale(3));
        var reversed = new Sequential(new Scale(3), new AddConstant(1));
        Tensor x = Tensor.Create(new[] { 0.5, -2.0 });

        TestTensors.AssertClose(chain.Forward(x), [4.5, -3], 0);
        TestTensors.AssertClose(reversed.Forward(x), [2.5, -5], 0);
    }

    [Test]
    public void Children_are_named_by_their_position_and_parameters_by_position_dot_name()
    {
        var random = new RandomSource(1);
        var chain = new Sequential(new Linear(2, 3, random), new Relu(), new Linear(3, 1, random, bias: false));

        Assert.That(chain.NamedChildren().Select(c => c.Key), Is.EqualTo(new[] { "0", "1", "2" }));
        Assert.That(chain.NamedParameters().Select(p => p.Key), Is.EqualTo(new[] { "0.weight", "0.bias", "2.weight" }));
    }

    [Test]
    public void Positional_names_stay_invariant_past_nine()
    {
        var chain = new Sequential(Enumerable.Range(0, 12).Select(_ => (Module)new Relu()));

        Assert.That(chain.NamedChildren().Select(c => c.Key), Is.EqualTo(Enumerable.Range(0, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Test]
    public void An_empty_chain_returns_its_input()
    {
        var chain = new Sequential();
        Tensor x = Tensor.Create(new[] { 1.0, 2.0 });

        Assert.That(chain.Forward(x), Is.SameAs(x));
        Assert.That(chain, Is.Empty);
        Assert.That(chain.ParameterCount, Is.Zero);
    }

    [Test]
    public void The_indexer_Count_and_enumeration_see_the_modules_in_order()
    {
        var first = new Relu();
        var second = new Tanh();
        var third = new Sigmoid();
        var chain = new Sequential(first, second);

        Sequential appended = chain.Append(third);

        Assert.That(appended, Is.SameAs(chain));
        Assert.That(chain, Has.Count.EqualTo(3));
        Assert.That(chain[0], Is.SameAs(first));
        Assert.That(chain[1], Is.SameAs(second));
        Assert.That(chain[2], Is.SameAs(third));
        Assert.That(chain.ToArray(), Is.EqualTo(new Module[] { first, second, third }));
        Assert.That(chain.NamedChildren().Select(c => c.Value), Is.EqualTo(new Module[] { first, second, third }));
        Assert.That(() => chain[3], Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void The_chain_can_be_built_from_any_sequence()
    {
        var modules = new List<Module> { new Scale(2), new Scale(5) };
        var chain = new Sequential(modules);

        TestTensors.AssertClose(chain.Forward(Tensor.Create(new[] { 1.5 })), [15], 0);
        Assert.That(() => new Sequential((IEnumerable<Module>)null!), Throws.ArgumentNullException);
    }

    // ---- Activations ----

    private static readonly double[] Inputs = [-3, -0.5, -1e-3, 0, 1e-3, 0.5, 2, 40, -40];

    [Test]
    public void Relu_is_the_positive_part()
    {
        Tensor y = new Relu().Forward(Tensor.Create(Inputs));

        TestTensors.AssertClose(y, [.. Inputs.Select(x => x > 0 ? x : 0)], 0);
    }

    [Test]
    public void LeakyRelu_scales_negative_inputs_by_its_slope()
    {
        Tensor y = new LeakyRelu(0.2).Forward(Tensor.Create(Inputs));

        TestTensors.AssertClose(y, [-0.6, -0.1, -2e-4, 0, 1e-3, 0.5, 2, 40, -8], 1e-15);
    }

    [Test]
    public void LeakyRelu_has_the_slope_of_pytorch_by_default()
    {
        var module = new LeakyRelu();
        Tensor y = module.Forward(Tensor.Create(new[] { -2.0, 3.0 }));

        Assert.That(module.NegativeSlope, Is.EqualTo(0.01));
        TestTensors.AssertClose(y, [-0.02, 3], 1e-15);
    }

    [Test]
    public void Tanh_is_the_hyperbolic_tangent()
    {
        Tensor y = new Tanh().Forward(Tensor.Create(Inputs));

        TestTensors.AssertClose(y, [.. Inputs.Select(Math.Tanh)], 1e-15);
    }

    [Test]
    public void Sigmoid_is_the_logistic_function()
    {
        Tensor y = new Sigmoid().Forward(Tensor.Create(Inputs));

        TestTensors.AssertClose(y, [.. Inputs.Select(x => 1 / (1 + Math.Exp(-x)))], 1e-15);
    }

    [Test]
    public void Activations_keep_float32()
    {
        Module[] activations = [new Relu(), new LeakyRelu(0.1), new Tanh(), new Sigmoid()];
        Tensor x = Tensor.Create(new float[] { -1.5f, 0.25f, 2 });
        double[][] expected =
        [
            [0, 0.25, 2],
            [-0.15, 0.25, 2],
            [Math.Tanh(-1.5), Math.Tanh(0.25), Math.Tanh(2)],
            [1 / (1 + Math.Exp(1.5)), 1 / (1 + Math.Exp(-0.25)), 1 / (1 + Math.Exp(-2))],
        ];

        for (int i = 0; i < activations.Length; i++)
        {
            Tensor y = activations[i].Forward(x);
            Assert.That(y.DType, Is.EqualTo(DType.Float32), activations[i].ToString());
            TestTensors.AssertClose(y, expected[i], 1e-6, activations[i].ToString());
        }
    }

    [Test]
    public void Activations_have_no_parameters_and_print_their_settings()
    {
        Module[] activations = [new Relu(), new LeakyRelu(0.1), new Tanh(), new Sigmoid()];

        Assert.That(activations.Select(a => a.ParameterCount), Is.All.Zero);
        Assert.That(activations.Select(a => a.ToString()), Is.EqualTo(new[] { "Relu()", "LeakyRelu(negativeSlope: 0.1)", "Tanh()", "Sigmoid()" }));
    }

    /// <summary>x + c, to show the order of a chain.</summary>
    private sealed class AddConstant(double constant) : Module
    {
        public override Tensor Forward(Tensor input) => input + constant;
    }

    /// <summary>x·c, to show the order of a chain.</summary>
    private sealed class Scale(double factor) : Module
    {
        public override Tensor Forward(Tensor input) => input * factor;
    }
}
