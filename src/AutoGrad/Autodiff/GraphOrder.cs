using System.Runtime.CompilerServices;

namespace AutoGrad.Autodiff;

/// <summary>
/// The records a Backward walk must run: those reachable from its root through the inputs, each listed after
/// the records that produced its inputs (a depth-first post-order), so running the list backwards applies the
/// chain rule from the root down.
/// </summary>
/// <remarks>
/// <para>The search is iterative (no recursion depth limit) and, for Backward, claims each record for the walk's number
/// instead of keeping a set of the records visited; the claims last until <see cref="EndWalk"/>. Its cost is one visit,
/// one compare-and-swap and one store per record reached; recording an op costs nothing extra.</para>
/// <para>The claim is what refuses a second Backward through a record while a first one runs (on another thread, or from
/// inside a backward rule of the first): they would share the records' working gradients and release what the other
/// still reads.</para>
/// </remarks>
internal static class GraphOrder
{
    // Process-wide, so that walks on different threads never share a number: a record another thread's walk claimed
    // must not look visited to this one.
    private static readonly StrongBox<int> LastWalk = new();

    [ThreadStatic]
    private static List<TapeEntry>? t_order;

    [ThreadStatic]
    private static Stack<(TapeEntry Entry, int NextInput)>? t_pending;

    /// <summary>
    /// The records reachable from <paramref name="root"/>, in an order where inputs come first, each claimed for this walk.
    /// Hand the list back with <see cref="EndWalk"/>, which gives up the claims.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another walk holds one of the records; this one then holds none.</exception>
    public static List<TapeEntry> From(TapeEntry root)
    {
        int walk = Interlocked.Increment(ref LastWalk.Value);
        if (walk == 0)
        {
            walk = Interlocked.Increment(ref LastWalk.Value); // 0 means unclaimed
        }

        return Walk(root, new Claims(walk));
    }

    /// <summary>
    /// The same list as <see cref="From"/>, found with a set of the records visited instead of claims on them, so that it
    /// writes nothing a walk on another thread reads: for readers of a graph (drawing it), which may run while other
    /// threads read the same graph. Hand the list back with <see cref="Return"/>.
    /// </summary>
    public static List<TapeEntry> FromWithoutMarking(TapeEntry root)
        => Walk(root, new VisitedSet(new HashSet<TapeEntry>(ReferenceEqualityComparer.Instance)));

    /// <summary>Gives up the claims of a list from <see cref="From"/>, and gives the list back for the next walk on this thread.</summary>
    public static void EndWalk(List<TapeEntry> order)
    {
        foreach (TapeEntry entry in order)
        {
            entry.Unclaim();
        }

        Return(order);
    }

    /// <summary>Gives the list of <see cref="FromWithoutMarking"/> back for the next walk on this thread.</summary>
    public static void Return(List<TapeEntry> order)
    {
        order.Clear();
        t_order = order;
    }

    // Generic over a struct, so that Backward's walk compiles to its own copy with the claim inlined.
    private static List<TapeEntry> Walk<TVisits>(TapeEntry root, TVisits visits)
        where TVisits : struct, IVisits
    {
        // Taken from the thread for the walk, so a walk started during another never shares them.
        List<TapeEntry> order = t_order ?? [];
        Stack<(TapeEntry, int)> pending = t_pending ?? new();
        t_order = null;
        t_pending = null;

        Reach reach = visits.Visit(root);
        if (reach == Reach.First)
        {
            pending.Push((root, 0));
        }

        while (reach != Reach.Held && pending.TryPop(out (TapeEntry Entry, int NextInput) top))
        {
            if (top.NextInput == top.Entry.InputCount)
            {
                order.Add(top.Entry);
                continue;
            }

            pending.Push((top.Entry, top.NextInput + 1));
            TapeEntry? producer = top.Entry.Input(top.NextInput)?.Entry;
            if (producer is not null && (reach = visits.Visit(producer)) == Reach.First)
            {
                pending.Push((producer, 0));
            }
        }

        if (reach == Reach.Held)
        {
            // Every record claimed so far is listed or pending: give them all up, leaving the graph to the walk that holds it.
            foreach (TapeEntry entry in order)
            {
                visits.Abandon(entry);
            }

            foreach ((TapeEntry entry, _) in pending)
            {
                visits.Abandon(entry);
            }

            pending.Clear();
            t_pending = pending;
            Return(order);
            throw new InvalidOperationException(
                "Backward: another Backward is walking this graph right now (on another thread, or from inside one of its "
                + "backward rules), and the two would share its working gradients. A graph takes one Backward at a time: "
                + "let the other finish first, or give each thread a graph of its own.");
        }

        t_pending = pending;
        return order;
    }

    /// <summary>What a walk finds as it reaches a record.</summary>
    private enum Reach
    {
        /// <summary>Reached for the first time: the walk goes on to its inputs.</summary>
        First,

        /// <summary>Reached before by this walk, through another path.</summary>
        Again,

        /// <summary>Claimed by another walk still running: this one must stop.</summary>
        Held,
    }

    /// <summary>Which records a walk has reached.</summary>
    private interface IVisits
    {
        /// <summary>Notes <paramref name="entry"/> as reached.</summary>
        Reach Visit(TapeEntry entry);

        /// <summary>Forgets <paramref name="entry"/>, reached by a walk that stops before it has an order.</summary>
        void Abandon(TapeEntry entry);
    }

    /// <summary>Claims each record for the walk's number.</summary>
    private readonly struct Claims(int walk) : IVisits
    {
        public Reach Visit(TapeEntry entry)
        {
            if (entry.Walk == walk)
            {
                return Reach.Again; // claimed through another path: one plain read, no interlocked
            }

            return entry.Claim(walk) == 0 ? Reach.First : Reach.Held;
        }

        public void Abandon(TapeEntry entry) => entry.Unclaim();
    }

    /// <summary>Keeps the reached records in a set of its own.</summary>
    private readonly struct VisitedSet(HashSet<TapeEntry> visited) : IVisits
    {
        public Reach Visit(TapeEntry entry) => visited.Add(entry) ? Reach.First : Reach.Again;

        public void Abandon(TapeEntry entry)
        {
        }
    }
}
