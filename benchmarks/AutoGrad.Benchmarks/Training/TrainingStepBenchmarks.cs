using AutoGrad.Benchmarks.Support;
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
    private readonly float[] _handW = [.. TrainingModels.NeuronWeights];
    private float _handB = TrainingModels.NeuronBias;
    private TrainingModels _models = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        UseThreads(Threads);
        _models = new TrainingModels();
    }

    /// <summary>The single-neuron step written by hand in plain C#: the floor no framework can beat.</summary>
    [Benchmark]
    public float HandCodedNeuronStep()
    {
        float[] x = TrainingModels.NeuronInput;
        float z = _handB;
        for (int j = 0; j < 3; j++)
        {
            z += _handW[j] * x[j];
        }

        float prediction = MathF.Max(z, 0);
        float error = prediction - TrainingModels.NeuronTarget;
        float dz = z > 0 ? 2 * error : 0; // d(error²)/dz
        for (int j = 0; j < 3; j++)
        {
            _handW[j] -= TrainingModels.LearningRate * dz * x[j];
        }

        _handB -= TrainingModels.LearningRate * dz;
        return error * error;
    }

    /// <summary>The single-neuron step through AutoGrad (<see cref="TrainingModels.NeuronStep"/>): forward, Backward, Sgd.Step, ZeroGrad, in a <see cref="TensorScope"/>.</summary>
    [Benchmark]
    public void NeuronStep() => _models.NeuronStep();

    /// <summary>One MLP step (<see cref="TrainingModels.MlpStep"/>): cross-entropy on 64 images, Backward, Sgd.Step, ZeroGrad, in a <see cref="TensorScope"/>.</summary>
    [Benchmark]
    public void MlpStep() => _models.MlpStep();
}
