using System.Runtime.CompilerServices;

namespace AutoGrad.Autodiff;

/// <summary>
/// The records a Backward walk must run: those reachable from its root through the inputs, each listed after
/// the records that produced its inputs (a depth-first post-order), so running the list backwards applies the
/// chain rule from the root down.
/// </summary>
/// <remarks>
/// The search is iterative (no recursion depth limit) and marks each record with the walk's number instead of
/// keeping a set. Its cost is one visit per record reached; recording an op costs nothing extra.
/// </remarks>
internal static class GraphOrder
{
    // Process-wide, so that walks on different threads never share a number: a record another thread's walk marked
    // must not look visited to this one.
    private static readonly StrongBox<int> LastWalk = new();

    [ThreadStatic]
    private static List<TapeEntry>? t_order;

    [ThreadStatic]
    private static Stack<(TapeEntry Entry, int NextInput)>? t_pending;

    /// <summary>The records reachable from <paramref name="root"/>, in an order where inputs come first. Hand the list back with <see cref="Return"/>.</summary>
    public static List<TapeEntry> From(TapeEntry root)
    {
        // Taken from the thread for the walk, so a walk started during another never shares them.
        List<TapeEntry> order = t_order ?? [];
        Stack<(TapeEntry, int)> pending = t_pending ?? new();
        t_order = null;
        t_pending = null;

        int walk = Interlocked.Increment(ref LastWalk.Value);
        root.WalkStamp = walk;
        pending.Push((root, 0));
        while (pending.TryPop(out (TapeEntry Entry, int NextInput) top))
        {
            if (top.NextInput == top.Entry.InputCount)
            {
                order.Add(top.Entry);
                continue;
            }

            pending.Push((top.Entry, top.NextInput + 1));
            TapeEntry? producer = top.Entry.Input(top.NextInput)?.Entry;
            if (producer is not null && producer.WalkStamp != walk)
            {
                producer.WalkStamp = walk;
                pending.Push((producer, 0));
            }
        }

        t_pending = pending;
        return order;
    }

    /// <summary>Gives the list back for the next walk on this thread.</summary>
    public static void Return(List<TapeEntry> order)
    {
        order.Clear();
        t_order = order;
    }
}
