using AutoGrad.Benchmarks.Support;
using AutoGrad.NN;
using AutoGrad.Optimizers;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Training;

/// <summary>
/// What does <see cref="Tensor.DetectAnomaly"/> cost? The training steps of <see cref="TrainingStepBenchmarks"/> (a
/// single neuron, and an MLP 784-128-10 on a batch of 64), on one thread, without and with detection. Detection reads
/// every result and gradient once, walks the stack once per recorded op, and copies the parameters' gradients before
/// each Backward. Its cost when off is that of <c>RecordAdd</c> in <see cref="OpOverheadBenchmarks"/>, compared across commits.
/// </summary>
[MemoryDiagnoser]
public class AnomalyDetectionBenchmarks : ThreadCountBenchmark
{
    private const float LearningRate = 1e-3f;

    private Tensor _w = null!;
    private Tensor _b = null!;
    private Tensor _x = null!;
    private Tensor _y = null!;
    private Sgd _neuronSgd = null!;

    private Mlp _mlp = null!;
    private Sgd _mlpSgd = null!;
    private Tensor _images = null!;
    private int[] _labels = [];

    [Params(false, true)]
    public bool Detect { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        UseThreads(1);
        var random = new RandomSource(7);
        _w = Tensor.Create([0.3f, -0.2f, 0.1f], [1, 3]).RequireGrad();
        _b = Tensor.Create([0.1f], [1]).RequireGrad();
        _x = Tensor.Create([0.5f, -1.0f, 2.0f], [1, 3]);
        _y = Tensor.Create([1.5f], [1, 1]);
        _neuronSgd = new Sgd([_w, _b], LearningRate);

        _mlp = new Mlp([784, 128, 10], random);
        _mlpSgd = new Sgd(_mlp.Parameters(), LearningRate);
        _images = Tensor.RandomUniform([64, 784], random);
        _labels = [.. Enumerable.Range(0, 64).Select(i => i % 10)];
    }

    /// <summary>One neuron step, <c>mse(relu(x·Wᵀ + b), y)</c>, Backward, Sgd.Step, ZeroGrad.</summary>
    [Benchmark]
    public void NeuronStep()
    {
        using AnomalyDetectionScope detection = Detect ? Tensor.DetectAnomaly() : default;
        using TensorScope scope = Tensor.Scope();
        Tensor loss = Tensor.MseLoss(_x.Affine(_w, _b).Relu(), _y);
        loss.Backward();
        _neuronSgd.Step();
        _neuronSgd.ZeroGrad();
    }

    /// <summary>One MLP step: cross-entropy on 64 images, Backward, Sgd.Step, ZeroGrad.</summary>
    [Benchmark]
    public void MlpStep()
    {
        using AnomalyDetectionScope detection = Detect ? Tensor.DetectAnomaly() : default;
        using TensorScope scope = Tensor.Scope();
        Tensor loss = Losses.CrossEntropy(_mlp.Forward(_images), _labels);
        loss.Backward();
        _mlpSgd.Step();
        _mlpSgd.ZeroGrad();
    }
}
