using AutoGrad.NN;

namespace AutoGrad.Tests.NN;

/// <summary>
/// <see cref="Module"/>: dotted parameter names in registration order, parameter counting, gradients, training mode,
/// the printed architecture, name validation, and the strict, all-or-nothing <see cref="Module.LoadStateDict"/>.
/// </summary>
public sealed class ModuleTests
{
    // ---- Names and parameters ----

    [Test]
    public void An_mlp_names_its_parameters_by_their_dotted_path_in_registration_order()
    {
        var mlp = new Mlp([2, 3, 4, 1], new RandomSource(1));

        string[] names = [.. mlp.NamedParameters().Select(p => p.Key)];

        Assert.That(
            names,
            Is.EqualTo(new[] { "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias" }));
    }

    [Test]
    public void Named_parameters_are_the_layers_own_tensors_with_their_shapes()
    {
        var mlp = new Mlp([2, 3, 4, 1], new RandomSource(1));
        var first = (Linear)mlp.Layers[0];
        var last = (Linear)mlp.Layers[4];

        Dictionary<string, Tensor> named = mlp.NamedParameters().ToDictionary(p => p.Key, p => p.Value);

        Assert.That(named["layers.0.weight"], Is.SameAs(first.Weight));
        Assert.That(named["layers.0.bias"], Is.SameAs(first.Bias));
        Assert.That(named["layers.4.weight"], Is.SameAs(last.Weight));
        Assert.That(named["layers.0.weight"].Shape.ToArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(named["layers.2.weight"].Shape.ToArray(), Is.EqualTo(new[] { 4, 3 }));
        Assert.That(named["layers.2.bias"].Shape.ToArray(), Is.EqualTo(new[] { 4 }));
        Assert.That(named["layers.4.weight"].Shape.ToArray(), Is.EqualTo(new[] { 1, 4 }));
        Assert.That(named["layers.4.bias"].Shape.ToArray(), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Parameters_are_the_named_parameters_in_the_same_order()
    {
        var mlp = new Mlp([2, 3, 4, 1], new RandomSource(1));

        Tensor[] parameters = [.. mlp.Parameters()];
        Tensor[] named = [.. mlp.NamedParameters().Select(p => p.Value)];

        Assert.That(parameters, Has.Length.EqualTo(6));
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.That(parameters[i], Is.SameAs(named[i]), $"parameter {i}");
            Assert.That(parameters[i].IsLeaf && parameters[i].RequiresGrad, Is.True, $"parameter {i} is a leaf that requires a gradient");
        }
    }

    [Test]
    public void A_module_lists_its_own_parameters_before_its_childrens_as_pytorch_does()
    {
        var probe = new Probe();
        probe.AddModule("inner", new Linear(2, 1, new RandomSource(3), bias: false));
        probe.AddParameter("scale", Tensor.Ones([1]));
        var outer = new Probe();
        outer.AddParameter("offset", Tensor.Zeros([2]));
        outer.AddModule("block", probe);

        string[] names = [.. outer.NamedParameters().Select(p => p.Key)];

        Assert.That(names, Is.EqualTo(new[] { "offset", "block.scale", "block.inner.weight" }));
    }

    [Test]
    public void ParameterCount_sums_every_parameters_element_count()
    {
        var mlp = new Mlp([2, 3, 4, 1], new RandomSource(1));

        // (2·3 + 3) + (3·4 + 4) + (4·1 + 1)
        Assert.That(mlp.ParameterCount, Is.EqualTo(30));
        Assert.That(new Relu().ParameterCount, Is.Zero);
        Assert.That(new Linear(5, 7, new RandomSource(1), bias: false).ParameterCount, Is.EqualTo(35));
    }

    [Test]
    public void NamedChildren_are_the_direct_children_in_registration_order()
    {
        var mlp = new Mlp([2, 3, 1], new RandomSource(1));

        KeyValuePair<string, Module>[] children = [.. mlp.NamedChildren()];
        string[] layerNames = [.. mlp.Layers.NamedChildren().Select(c => c.Key)];

        Assert.That(children, Has.Length.EqualTo(1));
        Assert.That(children[0].Key, Is.EqualTo("layers"));
        Assert.That(children[0].Value, Is.SameAs(mlp.Layers));
        Assert.That(layerNames, Is.EqualTo(new[] { "0", "1", "2" }));
    }

    // ---- Gradients and modes ----

    [Test]
    public void ZeroGrad_zeroes_every_parameters_gradient()
    {
        var mlp = new Mlp([2, 3, 1], new RandomSource(2), dtype: DType.Float64);
        Tensor x = Tensor.Create(new double[,] { { 0.5, -1 }, { 2, 0.25 } });
        mlp.Forward(x).Sum().Backward();
        Assert.That(mlp.Parameters().All(p => p.Grad is not null), Is.True, "backward gave every parameter a gradient");
        Assert.That(mlp.Parameters().Any(p => p.Grad!.ToArray<double>().Any(g => g != 0)), Is.True, "some gradient is non-zero");

        mlp.ZeroGrad();

        foreach ((string name, Tensor parameter) in mlp.NamedParameters())
        {
            Assert.That(parameter.Grad!.ToArray<double>(), Is.All.EqualTo(0.0), name);
        }
    }

    [Test]
    public void ZeroGrad_before_any_backward_leaves_gradients_null()
    {
        var mlp = new Mlp([2, 3, 1], new RandomSource(2));

        mlp.ZeroGrad();

        Assert.That(mlp.Parameters().Select(p => p.Grad), Is.All.Null);
    }

    [Test]
    public void Modules_start_in_training_mode_and_Eval_and_Train_reach_every_descendant()
    {
        var mlp = new Mlp([2, 3, 4, 1], new RandomSource(1));
        Module[] all = [mlp, mlp.Layers, .. mlp.Layers];
        Assert.That(all.Select(m => m.IsTraining), Is.All.True);

        Module evaluated = mlp.Eval();

        Assert.That(evaluated, Is.SameAs(mlp));
        Assert.That(all.Select(m => m.IsTraining), Is.All.False);

        Module trained = mlp.Train();

        Assert.That(trained, Is.SameAs(mlp));
        Assert.That(all.Select(m => m.IsTraining), Is.All.True);

        mlp.Train(false);
        Assert.That(all.Select(m => m.IsTraining), Is.All.False);
    }

    [Test]
    public void Train_on_a_child_does_not_change_its_parent()
    {
        var mlp = new Mlp([2, 3, 1], new RandomSource(1));
        mlp.Eval();

        mlp.Layers.Train();

        Assert.That(mlp.IsTraining, Is.False);
        Assert.That(mlp.Layers.IsTraining, Is.True);
        Assert.That(mlp.Layers[0].IsTraining, Is.True);
    }

    // ---- ToString ----

    [Test]
    public void ToString_prints_the_architecture_nested_and_indented()
    {
        var mlp = new Mlp([2, 3, 1], new RandomSource(1));
        string expected = string.Join(
            Environment.NewLine,
            "Mlp(",
            "  (layers): Sequential(",
            "    (0): Linear(in: 2, out: 3, bias: true)",
            "    (1): Relu()",
            "    (2): Linear(in: 3, out: 1, bias: true)",
            "  )",
            ")");

        Assert.That(mlp.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void ToString_of_a_leaf_module_is_one_line_with_its_settings()
    {
        Assert.That(new Linear(4, 2, new RandomSource(1), bias: false).ToString(), Is.EqualTo("Linear(in: 4, out: 2, bias: false)"));
        Assert.That(new LeakyRelu(0.2).ToString(), Is.EqualTo("LeakyRelu(negativeSlope: 0.2)"));
        Assert.That(new Tanh().ToString(), Is.EqualTo("Tanh()"));
        Assert.That(new Sequential().ToString(), Is.EqualTo("Sequential()"));
    }

    [Test]
    public void ToString_of_a_three_level_nesting_indents_each_level_by_two_spaces()
    {
        var outer = new Probe();
        var inner = new Probe();
        inner.AddModule("act", new Sigmoid());
        outer.AddModule("block", inner);
        outer.AddModule("head", new LeakyRelu(0.5));
        string expected = string.Join(
            Environment.NewLine,
            "Probe(",
            "  (block): Probe(",
            "    (act): Sigmoid()",
            "  )",
            "  (head): LeakyRelu(negativeSlope: 0.5)",
            ")");

        Assert.That(outer.ToString(), Is.EqualTo(expected));
    }

    // ---- Registration ----

    [Test]
    public void RegisterParameter_marks_the_tensor_as_requiring_a_gradient_and_returns_it()
    {
        var probe = new Probe();
        Tensor t = Tensor.Ones([2]);

        Tensor registered = probe.AddParameter("w", t);

        Assert.That(registered, Is.SameAs(t));
        Assert.That(t.RequiresGrad, Is.True);
    }

    [TestCase("")]
    [TestCase("a.b")]
    [TestCase(".")]
    [TestCase("weight.")]
    public void A_name_that_is_empty_or_dotted_is_rejected(string name)
    {
        var probe = new Probe();

        Assert.That(() => probe.AddParameter(name, Tensor.Ones([1])), Throws.InstanceOf<ArgumentException>());
        Assert.That(() => probe.AddModule(name, new Relu()), Throws.InstanceOf<ArgumentException>());
        Assert.That(probe.NamedParameters(), Is.Empty);
        Assert.That(probe.NamedChildren(), Is.Empty);
    }

    [Test]
    public void A_dotted_name_is_rejected_with_a_message_about_the_dot()
    {
        var probe = new Probe();

        Assert.That(() => probe.AddParameter("a.b", Tensor.Ones([1])), Throws.ArgumentException.With.Message.Contains("dot"));
    }

    [Test]
    public void A_null_name_is_rejected()
    {
        var probe = new Probe();

        Assert.That(() => probe.AddParameter(null!, Tensor.Ones([1])), Throws.ArgumentNullException);
        Assert.That(() => probe.AddModule(null!, new Relu()), Throws.ArgumentNullException);
    }

    [Test]
    public void A_name_already_taken_by_a_parameter_or_a_child_is_rejected()
    {
        var probe = new Probe();
        probe.AddParameter("w", Tensor.Ones([1]));
        probe.AddModule("act", new Relu());

        Assert.That(() => probe.AddParameter("w", Tensor.Ones([1])), Throws.ArgumentException.With.Message.Contains("\"w\""));
        Assert.That(() => probe.AddModule("w", new Relu()), Throws.ArgumentException.With.Message.Contains("\"w\""));
        Assert.That(() => probe.AddParameter("act", Tensor.Ones([1])), Throws.ArgumentException.With.Message.Contains("\"act\""));
        Assert.That(() => probe.AddModule("act", new Relu()), Throws.ArgumentException.With.Message.Contains("\"act\""));
        Assert.That(probe.NamedParameters().Select(p => p.Key), Is.EqualTo(new[] { "w" }));
        Assert.That(probe.NamedChildren().Select(c => c.Key), Is.EqualTo(new[] { "act" }));
    }

    [Test]
    public void A_parameter_must_be_a_leaf_and_a_module_cannot_be_its_own_child()
    {
        var probe = new Probe();
        Tensor leaf = Tensor.Ones([2]).RequireGrad();

        Assert.That(() => probe.AddParameter("w", leaf * 2), Throws.ArgumentException.With.Message.Contains("leaf"));
        Assert.That(() => probe.AddModule("self", probe), Throws.ArgumentException);
        Assert.That(() => probe.AddParameter("w", null!), Throws.ArgumentNullException);
        Assert.That(() => probe.AddModule<Module>("m", null!), Throws.ArgumentNullException);
        Assert.That(probe.NamedParameters(), Is.Empty);
        Assert.That(probe.NamedChildren(), Is.Empty);
    }

    // ---- LoadStateDict ----

    [Test]
    public void LoadStateDict_copies_every_value_bit_for_bit()
    {
        var target = new Mlp([2, 3, 1], new RandomSource(1));
        var source = new Mlp([2, 3, 1], new RandomSource(2));
        Dictionary<string, Tensor> state = source.NamedParameters().ToDictionary(p => p.Key, p => p.Value);

        target.LoadStateDict(state);

        foreach ((string name, Tensor parameter) in target.NamedParameters())
        {
            Assert.That(parameter.ToArray<float>(), Is.EqualTo(state[name].ToArray<float>()), name);
            Assert.That(parameter, Is.Not.SameAs(state[name]), $"{name} is copied, not shared");
            Assert.That(parameter.IsLeaf && parameter.RequiresGrad, Is.True, $"{name} is still a trainable leaf");
        }
    }

    [Test]
    public void LoadStateDict_converts_float64_values_to_a_float32_model_by_rounding()
    {
        var model = new Linear(3, 2, new RandomSource(1));
        double[] weight = [0.1, -1.0 / 3, 2.0 / 7, 1e-3, -0.7, 1e10 + 1];
        double[] bias = [0.3, -0.9];
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Create(weight, [2, 3]),
            ["bias"] = Tensor.Create(bias),
        };

        model.LoadStateDict(state);

        Assert.That(model.Weight.DType, Is.EqualTo(DType.Float32));
        Assert.That(model.Weight.ToArray<float>(), Is.EqualTo(weight.Select(v => (float)v).ToArray()));
        Assert.That(model.Bias!.ToArray<float>(), Is.EqualTo(bias.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void LoadStateDict_converts_float32_values_to_a_float64_model_exactly()
    {
        var model = new Linear(2, 2, new RandomSource(1), dtype: DType.Float64);
        float[] weight = [0.1f, -1.0f / 3, 2.5f, -7e-5f];
        float[] bias = [0.3f, -0.9f];
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Create(weight, [2, 2]),
            ["bias"] = Tensor.Create(bias),
        };

        model.LoadStateDict(state);

        Assert.That(model.Weight.DType, Is.EqualTo(DType.Float64));
        Assert.That(model.Weight.ToArray<double>(), Is.EqualTo(weight.Select(v => (double)v).ToArray()));
        Assert.That(model.Bias!.ToArray<double>(), Is.EqualTo(bias.Select(v => (double)v).ToArray()));
    }

    [Test]
    public void LoadStateDict_lists_every_missing_unexpected_and_misshapen_entry_and_loads_nothing()
    {
        var model = new Mlp([2, 3, 1], new RandomSource(1));
        float[][] before = Snapshot(model);
        Dictionary<string, Tensor> state = new Mlp([2, 3, 1], new RandomSource(9)).NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        state.Remove("layers.2.bias");
        state["layers.0.weight"] = Tensor.Zeros([2, 3]);
        state["layers.7.weight"] = Tensor.Zeros([1]);
        state["extra"] = Tensor.Zeros([1]);

        Assert.That(
            () => model.LoadStateDict(state),
            Throws.ArgumentException
                .With.Message.Contains("missing \"layers.2.bias\"")
                .And.Message.Contains("\"layers.0.weight\" has shape [2, 3], but the parameter has shape [3, 2]")
                .And.Message.Contains("unexpected \"layers.7.weight\"")
                .And.Message.Contains("unexpected \"extra\""));
        AssertUnchanged(model, before);
    }

    [Test]
    public void LoadStateDict_rejects_a_state_with_only_a_missing_entry()
    {
        var model = new Mlp([2, 3, 1], new RandomSource(1));
        float[][] before = Snapshot(model);
        Dictionary<string, Tensor> state = new Mlp([2, 3, 1], new RandomSource(9)).NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        state.Remove("layers.0.weight");

        Assert.That(() => model.LoadStateDict(state), Throws.ArgumentException.With.Message.Contains("missing \"layers.0.weight\""));
        AssertUnchanged(model, before);
    }

    [Test]
    public void LoadStateDict_rejects_a_state_with_only_an_unexpected_entry()
    {
        var model = new Mlp([2, 3, 1], new RandomSource(1));
        float[][] before = Snapshot(model);
        Dictionary<string, Tensor> state = new Mlp([2, 3, 1], new RandomSource(9)).NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        state["layers.1.weight"] = Tensor.Zeros([1]);

        Assert.That(() => model.LoadStateDict(state), Throws.ArgumentException.With.Message.Contains("unexpected \"layers.1.weight\""));
        AssertUnchanged(model, before);
    }

    [Test]
    public void LoadStateDict_rejects_a_state_whose_last_entry_alone_has_the_wrong_shape()
    {
        var model = new Mlp([2, 3, 1], new RandomSource(1));
        float[][] before = Snapshot(model);
        Dictionary<string, Tensor> state = new Mlp([2, 3, 1], new RandomSource(9)).NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        state["layers.2.bias"] = Tensor.Zeros([1, 1]);

        Assert.That(
            () => model.LoadStateDict(state),
            Throws.ArgumentException.With.Message.Contains("\"layers.2.bias\" has shape [1, 1], but the parameter has shape [1]"));
        AssertUnchanged(model, before);
    }

    [Test]
    public void LoadStateDict_treats_a_null_value_as_missing()
    {
        var model = new Linear(2, 1, new RandomSource(1));
        float[][] before = Snapshot(model);
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Zeros([1, 2]),
            ["bias"] = null!,
        };

        Assert.That(() => model.LoadStateDict(state), Throws.ArgumentException.With.Message.Contains("missing \"bias\""));
        AssertUnchanged(model, before);
    }

    [Test]
    public void LoadStateDict_of_null_throws()
    {
        var model = new Linear(2, 1, new RandomSource(1));

        Assert.That(() => model.LoadStateDict(null!), Throws.ArgumentNullException);
    }

    private static float[][] Snapshot(Module module) => [.. module.Parameters().Select(p => p.ToArray<float>())];

    [Test]
    public void A_shared_layer_is_listed_once_under_its_first_name_and_an_optimizer_accepts_it()
    {
        var random = new RandomSource(3);
        var shared = new Linear(3, 3, random);
        var chain = new Sequential(shared, new Relu(), shared);

        Assert.That(chain.NamedParameters().Select(p => p.Key), Is.EqualTo(new[] { "0.weight", "0.bias" }));
        Assert.That(chain.ParameterCount, Is.EqualTo(12));
        Assert.That(() => new AutoGrad.Optimizers.Sgd(chain.Parameters(), 0.1), Throws.Nothing);
    }

    private static void AssertUnchanged(Module module, float[][] before)
    {
        Tensor[] parameters = [.. module.Parameters()];
        Assert.That(parameters, Has.Length.EqualTo(before.Length));
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.That(parameters[i].ToArray<float>(), Is.EqualTo(before[i]), $"parameter {i} is bit-identical");
        }
    }

    /// <summary>A module that exposes registration, for testing it.</summary>
    private sealed class Probe : Module
    {
        public Tensor AddParameter(string name, Tensor parameter) => RegisterParameter(name, parameter);

        public TModule AddModule<TModule>(string name, TModule module)
            where TModule : Module
            => RegisterModule(name, module);

        public override Tensor Forward(Tensor input) => input;
    }
}
