using AutoGrad.Benchmarks.Support;
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
    private TrainingModels _models = null!;

    [Params(false, true)]
    public bool Detect { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        UseThreads(1);
        _models = new TrainingModels();
    }

    /// <summary>One neuron step (<see cref="TrainingModels.NeuronStep"/>).</summary>
    [Benchmark]
    public void NeuronStep()
    {
        using AnomalyDetectionScope detection = Detect ? Tensor.DetectAnomaly() : default;
        _models.NeuronStep();
    }

    /// <summary>One MLP step (<see cref="TrainingModels.MlpStep"/>).</summary>
    [Benchmark]
    public void MlpStep()
    {
        using AnomalyDetectionScope detection = Detect ? Tensor.DetectAnomaly() : default;
        _models.MlpStep();
    }
}
