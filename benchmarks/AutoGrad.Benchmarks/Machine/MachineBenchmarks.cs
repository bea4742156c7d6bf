using System.Runtime.Intrinsics;
using AutoGrad.Benchmarks.Support;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Benchmarks.Machine;

/// <summary>
/// This machine's ceilings, measured so that kernel figures can be quoted as a fraction of them: the float32 FMA
/// peak and the memory bandwidth, on 1 and 2 threads.
/// </summary>
[Config(typeof(PeerJob))]
public class MachineBenchmarks
{
    /// <summary>Floating-point operations per thread per <see cref="FmaPeak"/> call: 2³⁰, about 10 ms, so that starting the threads is noise.</summary>
    public const long FlopsPerThread = 1L << 30;

    /// <summary>Bytes each <see cref="MemoryBandwidth"/> call moves, counted as STREAM's Copy does: 256 MiB read and 256 MiB written.</summary>
    public const long BytesPerCopy = 2L * ArrayBytes;

    private const int ArrayBytes = 256 << 20;

    private float[] _source = [];
    private float[] _destination = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new float[ArrayBytes / sizeof(float)];
        _destination = new float[ArrayBytes / sizeof(float)];
        _source.AsSpan().Fill(1);
        _destination.AsSpan().Clear();
    }

    /// <summary>Sixteen independent chains of fused multiply-adds per thread, each chain in a register: no memory traffic at all.</summary>
    [Benchmark]
    public float FmaPeak()
    {
        float[] partial = new float[Threads];
        OnEveryThread(thread => partial[thread] = Vector512.IsHardwareAccelerated ? Fma512() : Fma256());
        return partial.Sum();
    }

    /// <summary>A copy between two 256 MiB arrays with ordinary vector loads and stores, split across the threads.</summary>
    [Benchmark]
    public void MemoryBandwidth()
    {
        int chunk = _source.Length / Threads;
        OnEveryThread(thread => Copy(_source.AsSpan(thread * chunk, chunk), _destination.AsSpan(thread * chunk, chunk)));
    }

    // One dedicated thread per share, started together: a thread pool may run both shares of a short loop on one
    // thread, which would measure one core twice.
    private void OnEveryThread(Action<int> share)
    {
        using var start = new Barrier(Threads);
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(index => new Thread(() =>
        {
            start.SignalAndWait();
            share(index);
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }
    }

    private static void Copy(ReadOnlySpan<float> source, Span<float> destination)
    {
        int width = Vector512<float>.Count;
        for (int i = 0; i <= source.Length - width; i += width)
        {
            Vector512.Create(source.Slice(i, width)).CopyTo(destination.Slice(i, width));
        }
    }

    private static float Fma512()
    {
        // 16 chains × 16 lanes × 2 flops = 512 flops per step.
        const long Steps = FlopsPerThread / 512;
        Vector512<float> m = Vector512.Create(0.999999f), a = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        Vector512<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (long step = 0; step < Steps; step++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a);
            c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a);
            c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a);
            c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a);
            c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a);
            c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a);
            c11 = Vector512.FusedMultiplyAdd(c11, m, a);
            c12 = Vector512.FusedMultiplyAdd(c12, m, a);
            c13 = Vector512.FusedMultiplyAdd(c13, m, a);
            c14 = Vector512.FusedMultiplyAdd(c14, m, a);
            c15 = Vector512.FusedMultiplyAdd(c15, m, a);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    private static float Fma256()
    {
        // 16 chains × 8 lanes × 2 flops = 256 flops per step.
        const long Steps = FlopsPerThread / 256;
        Vector256<float> m = Vector256.Create(0.999999f), a = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        Vector256<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (long step = 0; step < Steps; step++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a);
            c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a);
            c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a);
            c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a);
            c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a);
            c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a);
            c11 = Vector256.FusedMultiplyAdd(c11, m, a);
            c12 = Vector256.FusedMultiplyAdd(c12, m, a);
            c13 = Vector256.FusedMultiplyAdd(c13, m, a);
            c14 = Vector256.FusedMultiplyAdd(c14, m, a);
            c15 = Vector256.FusedMultiplyAdd(c15, m, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }
}
