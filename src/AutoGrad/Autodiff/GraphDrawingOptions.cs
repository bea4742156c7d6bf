namespace AutoGrad;

/// <summary>
/// What <see cref="ComputationGraph.ToDot"/> and <see cref="ComputationGraph.ToMermaid"/> put in a drawing besides each
/// node's op and shape: names for tensors, and optionally their values and gradients.
/// </summary>
/// <example>
/// <code>
/// var options = new GraphDrawingOptions { Names = { [x] = "x", [y] = "y" } }.AddNames(model.NamedParameters());
/// string dot = ComputationGraph.ToDot(loss, options);
/// </code>
/// </example>
public sealed class GraphDrawingOptions
{
    private int _maxElements = 6;

    /// <summary>
    /// Names to show on the nodes of these tensors, as torchviz's <c>params</c>: a parameter, an input, or an op's result
    /// (its name goes above the op's). Tensors are compared by reference, never by value; tensors that are not in the
    /// graph are ignored. A name may hold any text: quotes, brackets and line breaks are escaped for each format, and a
    /// line break in a name starts a new line of the label.
    /// </summary>
    public IDictionary<Tensor, string> Names { get; } = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);

    /// <summary>Whether each node shows its tensor's values, in row-major order, abridged to <see cref="MaxElements"/>. Off by default.</summary>
    public bool ShowValues { get; set; }

    /// <summary>
    /// Whether each node that requires a gradient shows its gradient (<see cref="Tensor.Grad"/>), abridged to
    /// <see cref="MaxElements"/>, or <c>none</c> when it has none. Off by default. As in PyTorch, an op's result keeps a
    /// gradient only when <see cref="Tensor.RetainGrad"/> was called before <see cref="Tensor.Backward"/>, and drawing after
    /// Backward needs <c>retainGraph: true</c>.
    /// </summary>
    public bool ShowGradients { get; set; }

    /// <summary>
    /// How many elements of a tensor's values or gradient a node shows at most, the first in row-major order, followed by
    /// <c>…</c> when there are more. 6 by default.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxElements
    {
        get => _maxElements;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"GraphDrawingOptions.MaxElements: {value} elements; a node shows at least 1.");
            }

            _maxElements = value;
        }
    }

    /// <summary>
    /// Adds each (name, tensor) pair to <see cref="Names"/>, replacing a name a tensor already had: pass a module's
    /// <c>NamedParameters()</c> to name its weights as PyTorch does (<c>layers.0.weight</c>), or any dictionary of tensors.
    /// </summary>
    /// <param name="namedTensors">The pairs, as <c>Module.NamedParameters()</c> gives them.</param>
    /// <returns>These options, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="namedTensors"/> is null.</exception>
    /// <exception cref="ArgumentException">A pair has a null name or a null tensor; then no name is added.</exception>
    public GraphDrawingOptions AddNames(IEnumerable<KeyValuePair<string, Tensor>> namedTensors)
    {
        ArgumentNullException.ThrowIfNull(namedTensors);
        KeyValuePair<string, Tensor>[] pairs = [.. namedTensors];
        foreach ((string? name, Tensor? tensor) in pairs)
        {
            if (name is null || tensor is null)
            {
                throw new ArgumentException(
                    $"GraphDrawingOptions.AddNames: a pair has a null {(name is null ? "name" : $"tensor (named \"{name}\")")}; no name was added.",
                    nameof(namedTensors));
            }
        }

        foreach ((string name, Tensor tensor) in pairs)
        {
            Names[tensor] = name;
        }

        return this;
    }
}
