using AutoGrad.NN;
using AutoGrad.Optimizers;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Optimizers;

/// <summary>
/// What does one optimizer step cost on the parameters of an MLP 784-128-10 (101,770 floats), against the
/// plain-SGD loop written by hand, and does a step allocate? The gradients are fixed; only the update is timed.
/// </summary>
[MemoryDiagnoser]
public class OptimizerStepBenchmarks
{
    private Tensor[] _parameters = [];
    private float[][] _values = [];
    private float[][] _gradients = [];
    private Optimizer _sgd = null!;
    private Optimizer _momentum = null!;
    private Optimizer _adam = null!;
    private Optimizer _adamW = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(1);
        var model = new Mlp([784, 128, 10], random);
        _parameters = [.. model.Parameters()];
        Tensor loss = model.Forward(Tensor.RandomNormal([64, 784], random)).Sum();
        loss.Backward();
        _values = [.. _parameters.Select(p => p.ToArray<float>())];
        _gradients = [.. _parameters.Select(p => p.Grad!.ToArray<float>())];

        // Tiny rates: the parameters barely move however many steps the benchmark takes.
        _sgd = new Sgd(_parameters, learningRate: 1e-9);
        _momentum = new Sgd(_parameters, learningRate: 1e-9, momentum: 0.9, nesterov: true, weightDecay: 1e-4);
        _adam = new Adam(_parameters, learningRate: 1e-9);
        _adamW = new AdamW(_parameters, learningRate: 1e-9);
    }

    [Benchmark(Baseline = true)]
    public void HandWrittenSgd()
    {
        for (int p = 0; p < _values.Length; p++)
        {
            float[] values = _values[p], gradients = _gradients[p];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] -= 1e-9f * gradients[i];
            }
        }
    }

    [Benchmark]
    public void Sgd() => _sgd.Step();

    [Benchmark]
    public void SgdNesterovWeightDecay() => _momentum.Step();

    [Benchmark]
    public void Adam() => _adam.Step();

    [Benchmark]
    public void AdamW() => _adamW.Step();
}
