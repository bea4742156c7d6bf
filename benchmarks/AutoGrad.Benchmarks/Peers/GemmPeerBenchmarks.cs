using AutoGrad.Benchmarks.Kernels;
using AutoGrad.Benchmarks.Support;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Peers;

/// <summary>AutoGrad's side of the GEMM comparison with PyTorch (benchmarks/peers/torch_kernels.py): the same shapes at 1 and 2 threads.</summary>
[Config(typeof(PeerJob))]
public class GemmPeerBenchmarks : ThreadCountBenchmark
{
    private GemmCase _case = null!;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<string> Shapes => GemmCase.Shapes;

    [GlobalSetup]
    public void Setup()
    {
        _case = new GemmCase(Shape);
        UseThreads(Threads);
    }

    [Benchmark]
    public void Gemm() => _case.AutoGrad();
}
