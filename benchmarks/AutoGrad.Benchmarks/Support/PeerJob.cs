using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace AutoGrad.Benchmarks.Support;

/// <summary>The job of the side-by-side runs (benchmarks/peers/run.sh): the machine's default vector width, few enough iterations that the whole comparison takes minutes.</summary>
internal sealed class PeerJob : ManualConfig
{
    public PeerJob()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("Peer"));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
