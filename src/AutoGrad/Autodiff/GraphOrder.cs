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
    public static List<TapeEntry> From(TapeEntry root) => Walk(root, new Stamps(Interlocked.Increment(ref LastWalk.Value)));

    /// <summary>
    /// The same list as <see cref="From"/>, found with a set of the records visited instead of marks on them, so that it
    /// writes nothing a walk on another thread reads: for readers of a graph (drawing it), which may run while other
    /// threads read the same graph. Hand the list back with <see cref="Return"/>.
    /// </summary>
    public static List<TapeEntry> FromWithoutMarking(TapeEntry root)
        => Walk(root, new VisitedSet(new HashSet<TapeEntry>(ReferenceEqualityComparer.Instance)));

    /// <summary>Gives the list back for the next walk on this thread.</summary>
    public static void Return(List<TapeEntry> order)
    {
        order.Clear();
        t_order = order;
    }

    // Generic over a struct, so that Backward's walk compiles to its own copy with the stamp check inlined.
    private static List<TapeEntry> Walk<TVisits>(TapeEntry root, TVisits visits)
        where TVisits : struct, IVisits
    {
        // Taken from the thread for the walk, so a walk started during another never shares them.
        List<TapeEntry> order = t_order ?? [];
        Stack<(TapeEntry, int)> pending = t_pending ?? new();
        t_order = null;
        t_pending = null;

        visits.TryVisit(root);
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
            if (producer is not null && visits.TryVisit(producer))
            {
                pending.Push((producer, 0));
            }
        }

        t_pending = pending;
        return order;
    }

    /// <summary>Which records a walk has reached.</summary>
    private interface IVisits
    {
        /// <summary>Notes <paramref name="entry"/> as reached; false when it already was.</summary>
        bool TryVisit(TapeEntry entry);
    }

    /// <summary>Marks each record with the walk's number.</summary>
    private readonly struct Stamps(int walk) : IVisits
    {
        public bool TryVisit(TapeEntry entry)
        {
            if (entry.WalkStamp == walk)
            {
                return false;
            }

            entry.WalkStamp = walk;
            return true;
        }
    }

    /// <summary>Keeps the reached records in a set of its own.</summary>
    private readonly struct VisitedSet(HashSet<TapeEntry> visited) : IVisits
    {
        public bool TryVisit(TapeEntry entry) => visited.Add(entry);
    }
}
