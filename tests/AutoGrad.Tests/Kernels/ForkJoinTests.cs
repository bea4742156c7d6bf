using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// <see cref="ForkJoin"/>, driven through <see cref="ParallelElementwise"/>: every part runs exactly once, a part that
/// throws is rethrown on the calling thread only after every part has stopped, and a warm call allocates nothing on
/// the calling thread.
/// </summary>
[NonParallelizable]
public sealed class ForkJoinTests
{
    private const int Length = 4 * ParallelElementwise.MinimumElementsPerThread;

    private static int t_parts;
    private static int t_running;
    private static int t_callerThread;

    private int _savedDegree;

    [SetUp]
    public void UseThreeThreads()
    {
        _savedDegree = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = 3;
        t_parts = 0;
        t_running = 0;
    }

    [TearDown]
    public void RestoreThreads() => Parallelism.MaxDegreeOfParallelism = _savedDegree;

    [Test]
    public void Every_part_runs_once_on_its_own_slice()
    {
        float[] x = new float[Length], y = new float[Length];
        Array.Fill(y, float.NaN);

        ParallelElementwise.Map<float, CountingCopy>(x, y);

        Assert.That(t_parts, Is.EqualTo(3));
        Assert.That(y, Is.All.EqualTo(0f), "every element written once");
    }

    [Test]
    public void A_part_that_throws_on_another_thread_is_rethrown_after_every_part_has_stopped()
    {
        float[] x = new float[Length], y = new float[Length];
        t_callerThread = Environment.CurrentManagedThreadId;

        Assert.That(() => ParallelElementwise.Map<float, SlowThenThrow>(x, y), Throws.InvalidOperationException.With.Message.EqualTo("part failed"));
        Assert.That(t_parts, Is.EqualTo(3));
        Assert.That(Volatile.Read(ref t_running), Is.Zero, "no part still running when the call returned");
    }

    [Test]
    public void A_warm_call_allocates_nothing_on_the_calling_thread()
    {
        float[] x = new float[Length], y = new float[Length];
        ParallelElementwise.Map<float, CountingCopy>(x, y);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            ParallelElementwise.Map<float, CountingCopy>(x, y);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(t_parts, Is.EqualTo(21 * 3));
    }

    private readonly struct CountingCopy : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T>
        {
            Interlocked.Increment(ref t_parts);
            x.CopyTo(y);
        }
    }

    private readonly struct SlowThenThrow : IUnaryKernel // on every thread but the caller's
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T>
        {
            Interlocked.Increment(ref t_parts);
            if (Environment.CurrentManagedThreadId == t_callerThread)
            {
                return; // part 0 succeeds; the others fail later, on pool threads
            }

            Interlocked.Increment(ref t_running);
            Thread.Sleep(20);
            Interlocked.Decrement(ref t_running);
            throw new InvalidOperationException("part failed");
        }
    }
}
