using System.Runtime.ExceptionServices;

namespace AutoGrad.Kernels;

/// <summary>
/// Runs the parts of one computation at once, part 0 on the calling thread and the others on thread-pool threads,
/// and returns when all have finished, allocating nothing: what <c>Parallel.For</c> does for our kernels, without the
/// kilobyte of tasks and closures it allocates per call (a training step makes several such calls).
/// </summary>
/// <remarks>
/// A part is a static function of a state the caller keeps on its stack; the stack frame outlives the call because
/// the caller waits for every part. Each calling thread reuses its own work items, which are free again once the
/// call returns. An exception in any part is rethrown on the calling thread after all parts have stopped.
/// </remarks>
internal static unsafe class ForkJoin
{
    [ThreadStatic]
    private static Call? t_call;

    /// <summary>Calls <c>run(state, part, parts)</c> for every part in [0, <paramref name="parts"/>) and waits for all.</summary>
    public static void Run(delegate*<void*, int, int, void> run, void* state, int parts)
    {
        Call call = t_call ??= new Call();
        call.Start(run, state, parts);
        Exception? own = null;
        try
        {
            run(state, 0, parts);
        }
        catch (Exception e)
        {
            own = e;
        }

        Exception? other = call.Wait();
        if ((own ?? other) is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>One calling thread's reusable state: a work item per extra part and the count of parts still running.</summary>
    private sealed class Call
    {
        private readonly object _gate = new(); // Monitor.Wait needs a monitor, not a System.Threading.Lock
        private Part[] _parts = [];
        private int _pending;
        private Exception? _error;

        public void Start(delegate*<void*, int, int, void> run, void* state, int parts)
        {
            if (_parts.Length < parts)
            {
                _parts = [.. Enumerable.Range(0, parts).Select(_ => new Part(this))];
            }

            _error = null;
            _pending = parts - 1;
            for (int i = 1; i < parts; i++)
            {
                _parts[i].Set(run, state, i, parts);
                ThreadPool.UnsafeQueueUserWorkItem(_parts[i], preferLocal: false);
            }
        }

        /// <summary>Waits for the queued parts; returns the first exception one of them threw, if any.</summary>
        public Exception? Wait()
        {
            lock (_gate)
            {
                while (Volatile.Read(ref _pending) > 0)
                {
                    Monitor.Wait(_gate);
                }
            }

            return _error;
        }

        public void Finished(Exception? error)
        {
            if (error is not null)
            {
                Interlocked.CompareExchange(ref _error, error, null);
            }

            if (Interlocked.Decrement(ref _pending) == 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    private sealed class Part(Call call) : IThreadPoolWorkItem
    {
        private delegate*<void*, int, int, void> _run;
        private void* _state;
        private int _index;
        private int _count;

        public void Set(delegate*<void*, int, int, void> run, void* state, int index, int count)
        {
            _run = run;
            _state = state;
            _index = index;
            _count = count;
        }

        public void Execute()
        {
            Exception? error = null;
            try
            {
                _run(_state, _index, _count);
            }
            catch (Exception e)
            {
                error = e;
            }

            call.Finished(error);
        }
    }
}
