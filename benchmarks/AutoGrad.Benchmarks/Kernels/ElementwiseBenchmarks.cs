using AutoGrad.Benchmarks.Support;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AutoGrad.Benchmarks.Kernels;

/// <summary>
/// Is AutoGrad's kernel for each element-wise op as fast as this machine allows? A scalar loop (the baseline),
/// <c>Vector&lt;T&gt;</c>, TensorPrimitives and AutoGrad's kernel on one thread, from L1-resident to far beyond the
/// last-level cache, at each vector width.
/// </summary>
/// <remarks>
/// The whole matrix is 384 cases (about half an hour); narrow it with a filter such as
/// <c>--filter '*ElementwiseBenchmarks.AutoGrad*'</c>.
/// </remarks>
[Config(typeof(Config))]
public class ElementwiseBenchmarks : ThreadCountBenchmark
{
    private ElementwiseCase _case = null!;

    [ParamsAllValues]
    public ElementwiseOp Op { get; set; }

    /// <summary>L1-resident, L2, L3 and DRAM sizes; none divides a vector width.</summary>
    [Params(1000, 65537, 1_048_576, 16_777_216)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _case = new ElementwiseCase(Op, Length);
        UseThreads(1);
    }

    [Benchmark(Baseline = true)]
    public void ScalarLoop() => _case.ScalarLoop();

    [Benchmark]
    public void VectorT() => _case.VectorT();

    [Benchmark]
    public void TensorPrimitives() => _case.TensorPrimitivesCall();

    [Benchmark]
    public void AutoGrad() => _case.AutoGrad();

    private sealed class Config : VectorWidthJobs
    {
        public Config()
        {
            AddColumn(new ThroughputColumn("GB/s", benchmark =>
            {
                var op = (ElementwiseOp)benchmark.Parameters["Op"];
                return (double)(int)benchmark.Parameters["Length"] * ElementwiseCase.BytesPerElement(op);
            }));
        }
    }
}
