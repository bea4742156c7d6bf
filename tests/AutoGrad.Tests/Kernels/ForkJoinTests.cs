using System.Numerics;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="ForkJoin"/>, driven through <see cref="ParallelElementwise"/>: every part runs exactly once, a part that
/// throws is rethrown on the calling thread only after every part has stopped, a warm call allocates nothing on the
/// calling thread, and kernels called from many pool threads at once do not wait on each other.
/// </summary>
[NonParallelizable]
public sealed class ForkJoinTests
{
    private const int Length = 4 * ParallelElementwise.MinimumElementsPerThread;

    // Counted by the kernels below on whatever thread runs them.
    private static readonly StrongBox<int> Parts = new();
    private static readonly StrongBox<int> Running = new();

    private int _savedDegree;

    [SetUp]
    public void UseThreeThreads()
    {
        _savedDegree = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = 3;
        Parts.Value = 0;
        Running.Value = 0;
    }

    [TearDown]
    public void RestoreThreads() => Parallelism.MaxDegreeOfParallelism = _savedDegree;

    [Test]
    public void Every_part_runs_once_on_its_own_slice()
    {
        float[] x = new float[Length], y = new float[Length];
        Array.Fill(y, float.NaN);

        ParallelElementwise.Map<float, CountingCopy>(x, y);

        Assert.That(Parts.Value, Is.EqualTo(3));
        Assert.That(y, Is.All.EqualTo(0f), "every element written once");
    }

    [Test]
    public void A_part_that_throws_is_rethrown_after_every_part_has_stopped()
    {
        // x holds each element's index, so the kernel can tell the first part (its slice starts at 0) from the others.
        float[] x = [.. Enumerable.Range(0, Length).Select(i => (float)i)], y = new float[Length];

        Assert.That(() => ParallelElementwise.Map<float, SlowThenThrowAfterThePart0>(x, y), Throws.InvalidOperationException.With.Message.EqualTo("part failed"));
        Assert.That(Parts.Value, Is.EqualTo(3));
        Assert.That(Volatile.Read(ref Running.Value), Is.Zero, "no part still running when the call returned");
    }

    [Test]
    public void Kernels_called_from_many_pool_threads_at_once_finish_promptly()
    {
        // Each call's helpers queue behind the other tasks; a caller that waited for them rather than doing the work
        // itself stalled until the pool grew (seconds, against milliseconds of work).
        var random = new RandomSource(5);
        Tensor a = Tensor.RandomNormal([256, 256], random), b = Tensor.RandomNormal([256, 256], random);
        Task[] tasks = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                a.MatMul(b);
            }
        }))];

        Assert.That(Task.WaitAll(tasks, TimeSpan.FromSeconds(3)), Is.True, "40 products of 256×256 within 3 s");
    }

    [Test]
    public void A_warm_call_allocates_nothing_on_the_calling_thread()
    {
        // Warm: the jobs a call can need while earlier calls' late helpers still hold theirs exist by then.
        float[] x = new float[Length], y = new float[Length];
        for (int i = 0; i < 200; i++)
        {
            ParallelElementwise.Map<float, CountingCopy>(x, y);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            ParallelElementwise.Map<float, CountingCopy>(x, y);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(Parts.Value, Is.EqualTo(300 * 3));
    }

    private readonly struct CountingCopy : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T>
        {
            Interlocked.Increment(ref Parts.Value);
            x.CopyTo(y);
        }
    }

    private readonly struct SlowThenThrowAfterThePart0 : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T>
        {
            Interlocked.Increment(ref Parts.Value);
            if (x[0] == T.Zero)
            {
                return;
            }

            Interlocked.Increment(ref Running.Value);
            Thread.Sleep(20);
            Interlocked.Decrement(ref Running.Value);
            throw new InvalidOperationException("part failed");
        }
    }
}
