using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Training;

/// <summary>
/// What does AutoGrad itself cost per op, when the arithmetic is negligible? One-element tensors that require a
/// gradient: recording <c>x + 1</c>, recording <c>x + y</c>, and a 3-op graph <c>relu(x·w + b)</c> run forward and backward.
/// </summary>
[MemoryDiagnoser]
public class OpOverheadBenchmarks
{
    private const int OpsPerScope = 64;

    private Tensor _x = null!;
    private Tensor _y = null!;
    private Tensor _w = null!;
    private Tensor _b = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x = Tensor.Full([1], 0.5).RequireGrad();
        _y = Tensor.Full([1], 2.0);
        _w = Tensor.Full([1], 1.5).RequireGrad();
        _b = Tensor.Full([1], 0.25).RequireGrad();
    }

    /// <summary><c>x + 1</c>: a scalar operand made for the call, then the recorded Add.</summary>
    [Benchmark]
    public Tensor RecordAddScalar() => _x + 1.0;

    /// <summary><c>x + y</c> with both operands already tensors: the recorded op alone.</summary>
    [Benchmark(Baseline = true)]
    public Tensor RecordAdd() => _x.Add(_y);

    /// <summary>
    /// <c>x + y</c> as in a training loop: 64 recorded ops per <see cref="TensorScope"/>, whose end returns their
    /// buffers to the pool for the next 64.
    /// </summary>
    [Benchmark(OperationsPerInvoke = OpsPerScope)]
    public void RecordAddInScope()
    {
        using TensorScope scope = Tensor.Scope();
        for (int i = 0; i < OpsPerScope; i++)
        {
            _x.Add(_y);
        }
    }

    /// <summary><c>relu(x·w + b)</c>, then Backward into x, w and b, in a <see cref="TensorScope"/>.</summary>
    [Benchmark]
    public void ThreeOpForwardBackward()
    {
        using TensorScope scope = Tensor.Scope();
        Tensor z = ((_x * _w) + _b).Relu();
        z.Backward();
    }
}
