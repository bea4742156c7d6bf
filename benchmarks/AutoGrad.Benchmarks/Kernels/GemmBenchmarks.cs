using AutoGrad.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AutoGrad.Benchmarks.Kernels;

/// <summary>
/// How close does AutoGrad's packed GEMM come to this machine's FMA peak on one thread, against a naive triple
/// loop, at each vector width? Square sizes and the layer shapes of a small MLP in the three modes the affine op uses.
/// </summary>
[Config(typeof(Config))]
public class GemmBenchmarks : ThreadCountBenchmark
{
    private GemmCase _case = null!;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    public static IEnumerable<string> Shapes => GemmCase.Shapes;

    [GlobalSetup]
    public void Setup()
    {
        _case = new GemmCase(Shape);
        UseThreads(1);
    }

    [Benchmark(Baseline = true)]
    public void Naive() => _case.Naive();

    [Benchmark]
    public void AutoGrad() => _case.AutoGrad();

    private sealed class Config : VectorWidthJobs
    {
        public Config() => AddColumn(new ThroughputColumn("GFLOP/s", benchmark => GemmCase.Flops((string)benchmark.Parameters["Shape"])));
    }
}
