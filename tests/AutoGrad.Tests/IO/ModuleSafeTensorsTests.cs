using AutoGrad.IO;
using AutoGrad.NN;
using static AutoGrad.Tests.IO.SafeTensorsTorchInteropTests;

namespace AutoGrad.Tests.IO;

/// <summary>
/// A model's parameters go to a safetensors file by dotted name and come back bit for bit; a file that is malformed
/// or does not fit the model changes nothing.
/// </summary>
public sealed class ModuleSafeTensorsTests
{
    [Test]
    public void A_saved_model_loads_into_a_differently_initialized_one_bit_for_bit()
    {
        var trained = new Mlp([3, 5, 2], new RandomSource(1));
        var fresh = new Mlp([3, 5, 2], new RandomSource(2));
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "mlp.safetensors");

        trained.SaveSafeTensors(path, new Dictionary<string, string> { ["epochs"] = "3" });
        fresh.LoadSafeTensors(path);

        Assert.That(Snapshot(fresh), Is.EqualTo(Snapshot(trained)));
        Tensor x = Tensor.Create(new float[,] { { 0.5f, -1f, 2f } });
        Assert.That(fresh.Forward(x).ToArray<float>(), Is.EqualTo(trained.Forward(x).ToArray<float>()));
        SafeTensorsContent file = SafeTensors.Load(path);
        Assert.That(file.Tensors.Keys, Is.EqualTo(new[] { "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias" }));
        Assert.That(file.Metadata["epochs"], Is.EqualTo("3"));
    }

    [Test]
    public void Loading_keeps_the_parameters_as_trainable_leaves_of_the_model()
    {
        var trained = new Mlp([2, 2], new RandomSource(1));
        var fresh = new Mlp([2, 2], new RandomSource(2));
        Tensor[] before = [.. fresh.Parameters()];
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "mlp.safetensors");
        trained.SaveSafeTensors(path);

        fresh.LoadSafeTensors(path);

        Tensor[] after = [.. fresh.Parameters()];
        Assert.That(after.Zip(before).All(pair => ReferenceEquals(pair.First, pair.Second)), Is.True);
        Assert.That(after.All(p => p.RequiresGrad && p.IsLeaf), Is.True);
    }

    [Test]
    public void The_PyTorch_MLP_loads_into_the_same_AutoGrad_MLP_and_computes_what_PyTorch_computed()
    {
        var model = new Mlp([4, 8, 3], new RandomSource(7), () => new Tanh(), DType.Float64);

        model.LoadSafeTensors(DataPath("torch_mlp_f64.safetensors"));

        SafeTensorsContent file = SafeTensors.Load(DataPath("torch_mlp_f64.safetensors"));
        foreach ((string name, Tensor parameter) in model.NamedParameters())
        {
            Assert.That(SafeTensorsBytes.Bits(parameter), Is.EqualTo(SafeTensorsBytes.Bits(file.Tensors[name])), name);
        }

        JsonTensor input = JsonTensor.Read("input"), output = JsonTensor.Read("output");
        double[] actual = model.Forward(Tensor.Create(input.Values, input.Shape)).ToArray<double>();
        // Same parameters and inputs; only the order of the float64 sums may differ from PyTorch's.
        Assert.That(actual, Is.EqualTo(output.Values).Within(1e-14));
    }

    [Test]
    public void A_float64_file_loads_into_a_float32_model_rounded()
    {
        var model = new Mlp([4, 8, 3], new RandomSource(7), () => new Tanh());

        model.LoadSafeTensors(DataPath("torch_mlp_f64.safetensors"));

        double[] weights = SafeTensors.Load(DataPath("torch_mlp_f64.safetensors")).Tensors["layers.2.weight"].ToArray<double>();
        Tensor loaded = model.NamedParameters().Single(p => p.Key == "layers.2.weight").Value;
        Assert.That(loaded.DType, Is.EqualTo(DType.Float32));
        Assert.That(loaded.ToArray<float>(), Is.EqualTo(weights.Select(w => (float)w)));
    }

    [Test]
    public void A_malformed_file_leaves_the_model_unchanged()
    {
        var model = new Mlp([3, 5, 2], new RandomSource(1));
        long[][] before = Snapshot(model);
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "mlp.safetensors");
        new Mlp([3, 5, 2], new RandomSource(2)).SaveSafeTensors(path);
        byte[] truncated = File.ReadAllBytes(path)[..^4];
        File.WriteAllBytes(path, truncated);

        Assert.That(() => model.LoadSafeTensors(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("layers.2.bias"));

        Assert.That(Snapshot(model), Is.EqualTo(before));
    }

    [Test]
    public void A_file_with_other_names_leaves_the_model_unchanged()
    {
        var model = new Mlp([3, 5, 2], new RandomSource(1));
        long[][] before = Snapshot(model);
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "other.safetensors");
        SafeTensors.Save(path, model.NamedParameters().Select(p => new KeyValuePair<string, Tensor>(p.Key.Replace("layers", "net", StringComparison.Ordinal), p.Value * 2)));

        Assert.That(
            () => model.LoadSafeTensors(path),
            Throws.ArgumentException.With.Message.Contains("missing \"layers.0.weight\"").And.Message.Contains("unexpected \"net.0.weight\""));

        Assert.That(Snapshot(model), Is.EqualTo(before));
    }

    [Test]
    public void A_file_with_one_extra_tensor_leaves_the_model_unchanged()
    {
        var model = new Mlp([3, 5, 2], new RandomSource(1));
        long[][] before = Snapshot(model);
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "extra.safetensors");
        SafeTensors.Save(path, [.. model.NamedParameters().Select(p => new KeyValuePair<string, Tensor>(p.Key, p.Value * 2)), new("step", Tensor.Scalar(10))]);

        Assert.That(() => model.LoadSafeTensors(path), Throws.ArgumentException.With.Message.Contains("unexpected \"step\"").And.Message.Contains(path));

        Assert.That(Snapshot(model), Is.EqualTo(before));
    }

    [Test]
    public void A_file_for_other_layer_sizes_leaves_the_model_unchanged()
    {
        var model = new Mlp([3, 5, 2], new RandomSource(1));
        long[][] before = Snapshot(model);
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "wider.safetensors");
        new Mlp([3, 6, 2], new RandomSource(2)).SaveSafeTensors(path);

        Assert.That(
            () => model.LoadSafeTensors(path),
            Throws.ArgumentException.With.Message.Contains("\"layers.0.weight\" has shape [6, 3], but the parameter has shape [5, 3]"));

        Assert.That(Snapshot(model), Is.EqualTo(before));
    }

    /// <summary>Every parameter's bits, in order.</summary>
    private static long[][] Snapshot(Module model) => [.. model.Parameters().Select(SafeTensorsBytes.Bits)];

    /// <summary>A float64 tensor of the "mlp_forward" entry of torch_expected.json.</summary>
    private sealed record JsonTensor(double[] Values, int[] Shape)
    {
        public static JsonTensor Read(string which)
        {
            var element = Expected().GetProperty("mlp_forward").GetProperty(which);
            double[] values = [.. Bits(element.GetProperty("bits")).Select(BitConverter.Int64BitsToDouble)];
            return new JsonTensor(values, [.. element.GetProperty("shape").EnumerateArray().Select(n => n.GetInt32())]);
        }
    }
}
