using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.NN;

/// <summary>
/// Does the LogSoftmax primitive pay for itself against the same function composed from ops,
/// <c>x − log Σ exp(x)</c> (which is also unstable: it overflows for logits above ~88 in float32)?
/// Forward and backward of a row-wise log-softmax, summed to a scalar loss.
/// </summary>
[MemoryDiagnoser]
public class LogSoftmaxBenchmarks
{
    private Tensor _logits = null!;

    /// <summary>Batch × classes: the classifier sample, an MNIST-sized MLP's output, and a wide vocabulary.</summary>
    [Params("256x2", "64x10", "64x1000")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        int[] shape = [.. Shape.Split('x').Select(int.Parse)];
        _logits = Tensor.RandomNormal(shape, new RandomSource(1)).RequireGrad();
    }

    [Benchmark(Baseline = true)]
    public double Composed()
    {
        Tensor y = _logits - _logits.Exp().Sum(1, keepDims: true).Log();
        return Backward(y);
    }

    [Benchmark]
    public double Primitive() => Backward(_logits.LogSoftmax(1));

    private double Backward(Tensor y)
    {
        Tensor loss = y.Sum();
        loss.Backward();
        _logits.ZeroGrad();
        return loss.Item();
    }
}
