using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace AutoGrad.Kernels;

/// <summary>
/// Runs the parts of one computation at once, on the calling thread and on thread-pool threads, and returns when all
/// have finished, allocating nothing once warm: what <c>Parallel.For</c> does for our kernels, without the kilobyte of
/// tasks and closures it allocates per call (a training step makes several such calls).
/// </summary>
/// <remarks>
/// <para>A part is a static function of a state the caller keeps on its stack; the frame outlives the call because the
/// caller waits for every part. Parts are claimed from a shared counter by the caller and by the pool threads it
/// asked for help, so the call never waits for a pool thread that has not started: when the pool is busy (kernels
/// called from many tasks at once), the caller simply runs every part itself.</para>
/// <para>An exception in any part is rethrown on the calling thread after every claimed part has stopped.</para>
/// </remarks>
internal static unsafe class ForkJoin
{
    [ThreadStatic]
    private static List<Job>? t_jobs;

    /// <summary>Calls <c>run(state, part, parts)</c> once for every part in [0, <paramref name="parts"/>) and waits for all.</summary>
    public static void Run(delegate*<void*, int, int, void> run, void* state, int parts)
    {
        if (FreeJob() is not { } job)
        {
            // Every job of this thread is still held by helpers the pool has not run yet: it is behind, and more
            // helpers would only queue behind those. The parts run here, one after the other.
            for (int part = 0; part < parts; part++)
            {
                run(state, part, parts);
            }

            return;
        }

        job.Start(run, state, parts);
        for (int i = 1; i < parts; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
        }

        job.WorkOnParts();
        Exception? error = job.Finish();
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>
    /// A job of this thread's that no call is using and no queued helper still holds (a helper that starts after the
    /// parts are all claimed finds nothing to do, but still refers to its job until it returns); null when a few
    /// jobs exist and all are held.
    /// </summary>
    private static Job? FreeJob()
    {
        const int MaxJobsPerThread = 4;
        List<Job> jobs = t_jobs ??= new List<Job>(MaxJobsPerThread);
        foreach (Job candidate in jobs)
        {
            if (candidate.IsFree)
            {
                return candidate;
            }
        }

        if (jobs.Count == MaxJobsPerThread)
        {
            return null;
        }

        var job = new Job();
        jobs.Add(job);
        return job;
    }

    /// <summary>One call's parts and counters; queued once per helper wanted, and run by whoever dequeues it.</summary>
    private sealed class Job : IThreadPoolWorkItem
    {
        private readonly object _gate = new(); // Monitor.Wait needs a monitor, not a System.Threading.Lock
        private delegate*<void*, int, int, void> _run;
        private void* _state;
        private int _parts;
        private int _nextPart;
        private int _unfinishedParts;
        private int _queuedHelpers;
        private bool _inCall;
        private Exception? _error;

        public bool IsFree => !_inCall && Volatile.Read(ref _queuedHelpers) == 0;

        public void Start(delegate*<void*, int, int, void> run, void* state, int parts)
        {
            _inCall = true;
            _run = run;
            _state = state;
            _parts = parts;
            _error = null;
            _nextPart = 0;
            _unfinishedParts = parts;

            // Published before the job is queued: queuing is a full fence.
            _queuedHelpers = parts - 1;
        }

        /// <summary>Runs unclaimed parts until none is left (called by the caller and by each helper).</summary>
        public void WorkOnParts()
        {
            int part;
            while ((part = Interlocked.Increment(ref _nextPart) - 1) < _parts)
            {
                try
                {
                    _run(_state, part, _parts);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }

                if (Interlocked.Decrement(ref _unfinishedParts) == 0)
                {
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }

        /// <summary>Waits until every part has finished; returns the first exception one of them threw, if any.</summary>
        public Exception? Finish()
        {
            // The other parts usually end within microseconds of the caller's: spinning a little first saves the
            // sleep and wake-up of a blocking wait, which would cost more than the wait itself.
            long spinUntil = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10_000); // 100 µs
            while (Volatile.Read(ref _unfinishedParts) > 0 && Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(16);
            }

            lock (_gate)
            {
                while (Volatile.Read(ref _unfinishedParts) > 0)
                {
                    Monitor.Wait(_gate);
                }
            }

            _inCall = false;
            return _error;
        }

        void IThreadPoolWorkItem.Execute()
        {
            WorkOnParts();
            Interlocked.Decrement(ref _queuedHelpers);
        }
    }
}
