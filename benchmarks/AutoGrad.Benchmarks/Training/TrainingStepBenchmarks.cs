using AutoGrad.Benchmarks.Support;
using AutoGrad.NN;
using AutoGrad.Optimizers;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Training;

/// <summary>
/// What does one whole SGD training step cost (forward, backward, update, zeroing the gradients), and what does it
/// allocate once warm? A single neuron <c>relu(w·x + b)</c> with 3 inputs and batch 1 under an MSE loss, beside
/// the same step written by hand with no framework (the floor); and an MLP 784-128-10 with ReLU and cross-entropy
/// on batches of 64, at 1 and 2 threads. benchmarks/peers/training.sh runs the same models in PyTorch.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks : ThreadCountBenchmark
{
    private const float LearningRate = 1e-3f;

    // The neuron.
    private Tensor _w = null!;
    private Tensor _b = null!;
    private Tensor _x = null!;
    private Tensor _y = null!;
    private Sgd _neuronSgd = null!;
    private readonly float[] _handW = [0.3f, -0.2f, 0.1f];
    private readonly float[] _handX = [0.5f, -1.0f, 2.0f];
    private float _handB = 0.1f;

    // The MLP.
    private Mlp _mlp = null!;
    private Sgd _mlpSgd = null!;
    private Tensor _images = null!;
    private int[] _labels = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        UseThreads(Threads);
        var random = new RandomSource(7);
        _w = Tensor.Create(_handW, [1, 3]).RequireGrad();
        _b = Tensor.Create([_handB], [1]).RequireGrad();
        _x = Tensor.Create(_handX, [1, 3]);
        _y = Tensor.Create([1.5f], [1, 1]);
        _neuronSgd = new Sgd([_w, _b], LearningRate);

        _mlp = new Mlp([784, 128, 10], random);
        _mlpSgd = new Sgd(_mlp.Parameters(), LearningRate);
        _images = Tensor.RandomUniform([64, 784], random);
        _labels = [.. Enumerable.Range(0, 64).Select(i => i % 10)];
    }

    /// <summary>The single-neuron step written by hand in plain C#: the floor no framework can beat.</summary>
    [Benchmark]
    public float HandCodedNeuronStep()
    {
        float z = _handB;
        for (int j = 0; j < 3; j++)
        {
            z += _handW[j] * _handX[j];
        }

        float prediction = MathF.Max(z, 0);
        float error = prediction - 1.5f;
        float dz = z > 0 ? 2 * error : 0; // d(error²)/dz
        for (int j = 0; j < 3; j++)
        {
            _handW[j] -= LearningRate * dz * _handX[j];
        }

        _handB -= LearningRate * dz;
        return error * error;
    }

    /// <summary>The single-neuron step through AutoGrad: <c>mse(relu(x·Wᵀ + b), y)</c>, Backward, Sgd.Step, ZeroGrad, in a <see cref="TensorScope"/>.</summary>
    [Benchmark]
    public void NeuronStep()
    {
        using TensorScope scope = Tensor.Scope();
        Tensor loss = Tensor.MseLoss(_x.Affine(_w, _b).Relu(), _y);
        loss.Backward();
        _neuronSgd.Step();
        _neuronSgd.ZeroGrad();
    }

    /// <summary>One MLP step: cross-entropy of the MLP on 64 images, Backward, Sgd.Step, ZeroGrad, in a <see cref="TensorScope"/>.</summary>
    [Benchmark]
    public void MlpStep()
    {
        using TensorScope scope = Tensor.Scope();
        Tensor loss = Losses.CrossEntropy(_mlp.Forward(_images), _labels);
        loss.Backward();
        _mlpSgd.Step();
        _mlpSgd.ZeroGrad();
    }
}
