using AutoGrad.Benchmarks.Kernels;
using AutoGrad.Benchmarks.Support;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Peers;

/// <summary>AutoGrad's side of the element-wise comparison with PyTorch (benchmarks/peers/torch_kernels.py): the same ops and lengths at 1 and 2 threads.</summary>
[Config(typeof(PeerJob))]
public class ElementwisePeerBenchmarks : ThreadCountBenchmark
{
    private ElementwiseCase _case = null!;

    [ParamsAllValues]
    public ElementwiseOp Op { get; set; }

    [Params(1000, 65537, 1_048_576, 16_777_216)]
    public int Length { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _case = new ElementwiseCase(Op, Length);
        UseThreads(Threads);
    }

    [Benchmark]
    public void Elementwise() => _case.AutoGrad();
}
