using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Support;

/// <summary>A benchmark class that runs AutoGrad's kernels on a chosen number of threads and restores the setting after.</summary>
public abstract class ThreadCountBenchmark
{
    private int _threadsBefore = Parallelism.MaxDegreeOfParallelism;

    [GlobalCleanup]
    public void RestoreThreads() => Parallelism.MaxDegreeOfParallelism = _threadsBefore;

    /// <summary>Sets <see cref="Parallelism.MaxDegreeOfParallelism"/> for the benchmark, remembering the previous value.</summary>
    protected void UseThreads(int threads)
    {
        _threadsBefore = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = threads;
    }
}
