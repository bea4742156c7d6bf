using System.Globalization;
using System.Text;

namespace AutoGrad.Autodiff;

/// <summary>What a node of a drawing stands for, which sets its shape and colour.</summary>
internal enum GraphNodeKind
{
    /// <summary>A leaf that requires no gradient: data, a target, a scalar operand.</summary>
    Constant,

    /// <summary>A leaf that requires a gradient: a parameter.</summary>
    Parameter,

    /// <summary>A recorded op and its result.</summary>
    Op,

    /// <summary>The recorded op whose result was drawn (the root).</summary>
    Result,
}

/// <summary>A node: what it stands for, and its label, one line per entry (a name may hold line breaks of its own).</summary>
internal sealed record GraphNode(GraphNodeKind Kind, IReadOnlyList<string> Lines);

/// <summary>
/// An edge from node <paramref name="From"/> (an input) to node <paramref name="To"/> (the op that used it); nodes are
/// numbered by their index in <see cref="GraphDrawing.Nodes"/>. <paramref name="Position"/> is the argument position, given
/// only when the op used that input at more than one position (<c>x * x</c>).
/// </summary>
internal readonly record struct GraphEdge(int From, int To, int? Position);

/// <summary>
/// The nodes and edges of the graph recorded for one result, with their labels, in the order of
/// <see cref="ComputationGraph"/>'s documentation; the formats (<see cref="DotFormat"/>, <see cref="MermaidFormat"/>) only
/// write them out.
/// </summary>
internal sealed class GraphDrawing
{
    private readonly GraphDrawingOptions _options;
    private readonly List<GraphNode> _nodes = [];
    private readonly List<GraphEdge> _edges = [];

    private GraphDrawing(GraphDrawingOptions options) => _options = options;

    public IReadOnlyList<GraphNode> Nodes => _nodes;

    public IReadOnlyList<GraphEdge> Edges => _edges;

    /// <summary>Reads the graph recorded for <paramref name="root"/>; <paramref name="op"/> is the public member that errors name.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="root"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="GraphDrawingOptions.Names"/> holds a null name.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="root"/> was disposed.</exception>
    /// <exception cref="InvalidOperationException">A Backward without retainGraph released part of the graph.</exception>
    public static GraphDrawing Of(Tensor root, GraphDrawingOptions? options, string op)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.CheckAlive(op);
        options ??= new GraphDrawingOptions();
        foreach ((Tensor tensor, string? name) in options.Names)
        {
            if (name is null)
            {
                throw new ArgumentException(
                    $"{op}: options.Names gives a null name to a tensor of shape {Shapes.Format(tensor.Shape)}; remove it, or give it a name.",
                    nameof(options));
            }
        }

        var drawing = new GraphDrawing(options);
        if (root.Entry is null)
        {
            drawing.AddLeaf(root);
            return drawing;
        }

        List<TapeEntry> order = GraphOrder.FromWithoutMarking(root.Entry);
        try
        {
            if (order.Exists(entry => entry.IsReleased))
            {
                throw new InvalidOperationException(
                    $"{op}: part of the graph that produced this tensor of shape {Shapes.Format(root.Shape)} was released by a "
                    + "Backward without retainGraph, which drops what each op recorded (its inputs), so it can no longer be drawn. "
                    + "Draw the graph before Backward, or call Backward(retainGraph: true).");
            }

            drawing.AddOps(order, root.Entry);
        }
        finally
        {
            GraphOrder.Return(order);
        }

        return drawing;
    }

    /// <summary>
    /// Numbers the records in <paramref name="order"/> (inputs first), each leaf just before the first op that uses it,
    /// and adds the edges into each op in argument order.
    /// </summary>
    private void AddOps(List<TapeEntry> order, TapeEntry root)
    {
        // An op's result is known by its record, a leaf by itself; every producer comes before its users in the order.
        var ids = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        var inputs = new List<(object Key, int Position)>(3);
        foreach (TapeEntry entry in order)
        {
            inputs.Clear();
            for (int i = 0; i < entry.InputCount; i++)
            {
                if (entry.Input(i) is not Tensor input)
                {
                    continue; // an absent optional input (Affine without a bias)
                }

                object key = input.Entry ?? (object)input;
                if (!ids.ContainsKey(key))
                {
                    ids[key] = AddLeaf(input);
                }

                inputs.Add((key, i));
            }

            int id = AddNode(entry == root ? GraphNodeKind.Result : GraphNodeKind.Op, entry.Output, entry.Op);
            ids[entry] = id;
            foreach ((object key, int position) in inputs)
            {
                bool repeated = inputs.Count(other => other.Key == key) > 1;
                _edges.Add(new GraphEdge(ids[key], id, repeated ? position : null));
            }
        }
    }

    private int AddLeaf(Tensor leaf) => AddNode(leaf.RequiresGrad ? GraphNodeKind.Parameter : GraphNodeKind.Constant, leaf, op: null);

    private int AddNode(GraphNodeKind kind, Tensor tensor, string? op)
    {
        var lines = new List<string>(4);
        if (_options.Names.TryGetValue(tensor, out string? name))
        {
            lines.Add(name);
        }

        if (op is not null)
        {
            lines.Add(op);
        }

        lines.Add(Shapes.Format(tensor.Shape));
        if (kind == GraphNodeKind.Parameter)
        {
            lines.Add("requires grad");
        }

        if (_options.ShowValues)
        {
            lines.Add("value " + Abridge(tensor));
        }

        if (_options.ShowGradients && tensor.RequiresGrad)
        {
            lines.Add("grad " + (tensor.Grad is Tensor gradient ? Abridge(gradient) : "none"));
        }

        _nodes.Add(new GraphNode(kind, lines));
        return _nodes.Count - 1;
    }

    /// <summary>A scalar's value, or the first <see cref="GraphDrawingOptions.MaxElements"/> elements in brackets, then "…" when there are more.</summary>
    private string Abridge(Tensor tensor)
    {
        if (tensor.IsDisposed)
        {
            return "(disposed)";
        }

        var values = new double[Math.Min(tensor.ElementCount, _options.MaxElements)];
        if (tensor.DType == DType.Float32)
        {
            ReadOnlySpan<float> elements = tensor.AsReadOnlySpan<float>();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = elements[i];
            }
        }
        else
        {
            tensor.AsReadOnlySpan<double>()[..values.Length].CopyTo(values);
        }

        if (tensor.Rank == 0)
        {
            return Format(values[0]);
        }

        var text = new StringBuilder("[").AppendJoin(", ", values.Select(Format));
        return text.Append(tensor.ElementCount > values.Length ? ", …]" : "]").ToString();
    }

    /// <summary>Four significant digits, and non-finite values as <see cref="Tensor.ToString"/> writes them.</summary>
    private static string Format(double value) => value switch
    {
        double.NaN => "nan",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("G4", CultureInfo.InvariantCulture),
    };
}
