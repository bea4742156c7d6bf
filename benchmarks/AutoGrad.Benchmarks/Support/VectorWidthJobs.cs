using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace AutoGrad.Benchmarks.Support;

/// <summary>
/// One job per vector width the runtime can be held to, so the benefit of each width shows: scalar
/// (<c>DOTNET_EnableHWIntrinsic=0</c>), 128-bit (<c>DOTNET_EnableAVX2=0</c>), 256-bit
/// (<c>DOTNET_PreferredVectorBitWidth=256</c>) and <c>Widest</c>, the machine's default (512-bit with AVX-512).
/// </summary>
/// <remarks>
/// Not named "Default": with that id BenchmarkDotNet 0.15.8 named the job by its settings instead ("IterationCount=10,
/// WarmupCount=3"), and the space in that name broke the build of its generated project.
/// </remarks>
internal class VectorWidthJobs : ManualConfig
{
    public VectorWidthJobs()
    {
        Job measured = Job.Default.WithWarmupCount(3).WithIterationCount(10);
        AddJob(measured.WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0").WithId("Scalar"));
        AddJob(measured.WithEnvironmentVariable("DOTNET_EnableAVX2", "0").WithId("Vector128"));
        AddJob(measured.WithEnvironmentVariable("DOTNET_PreferredVectorBitWidth", "256").WithId("Vector256"));
        AddJob(measured.WithId("Widest"));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
