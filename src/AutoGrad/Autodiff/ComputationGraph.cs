using AutoGrad.Autodiff;

namespace AutoGrad;

/// <summary>
/// Pictures of what the tape recorded for a result, as Graphviz DOT or as a Mermaid flowchart, as micrograd's
/// <c>draw_dot</c> and torchviz's <c>make_dot</c> draw them: <c>ComputationGraph.ToDot(loss)</c>, then
/// <c>dot -Tsvg graph.dot -o graph.svg</c>; Mermaid text renders as it is on GitHub (in a <c>```mermaid</c> block) and in notebooks.
/// </summary>
/// <remarks>
/// <para><b>Nodes.</b> One per recorded op, drawn as an ellipse (a stadium in Mermaid) and labelled with the public op's name
/// (<c>Affine</c>, <c>Relu</c>, <c>MseLoss</c>; <c>x * y</c> is <c>Multiply</c>) and its result's shape; the root's op is
/// green. One per leaf tensor that feeds the graph, drawn as a box labelled with its shape: blue and marked
/// <c>requires grad</c> for a leaf that requires a gradient (a parameter), white with a dashed border for a constant (data,
/// a target, the scalar of <c>2 * x</c>). A name from <see cref="GraphDrawingOptions.Names"/> comes first on the label;
/// values and gradients, when asked for, come last. A composition shows as the ops it is made of (<c>Subtract</c> as
/// <c>Negate</c> then <c>Add</c>, <c>Mean</c> as <c>Sum</c> then <c>Multiply</c>). A tensor with no record (a leaf, or a
/// result computed under <see cref="Tensor.NoGrad"/>) draws as one leaf node.</para>
/// <para><b>Edges</b> run from each input to the op that used it, one per use: a tensor used by two ops has two edges, and
/// <c>x * x</c> has two edges from <c>x</c> to <c>Multiply</c>, labelled with the argument positions 0 and 1 (the only
/// labelled edges).</para>
/// <para><b>Order.</b> Nodes are numbered <c>n0</c>, <c>n1</c>, ... in the order Backward lists the records (a depth-first
/// walk from the root through the inputs in argument order, each op after the ops that produced its inputs), each leaf just
/// before the first op that uses it; the root comes last. Then the edges, grouped by the op they enter, in argument order.
/// The same graph gives the same text, byte for byte, with <c>\n</c> line ends and numbers in the invariant culture.</para>
/// <para><b>When.</b> Draw before <see cref="Tensor.Backward"/>, or call <c>Backward(retainGraph: true)</c>: a Backward
/// without it releases what each op recorded, its inputs included, and such a graph cannot be drawn. Drawing reads the
/// graph and writes nothing to it, not even the marks a Backward walk leaves on its records, so several threads may draw
/// one graph at once; it records no op.</para>
/// </remarks>
public static class ComputationGraph
{
    /// <summary>
    /// The graph recorded for <paramref name="root"/> in Graphviz's DOT language, left to right: render it with
    /// <c>dot -Tsvg graph.dot -o graph.svg</c> (Graphviz; on Debian and Ubuntu, the apt package <c>graphviz</c>).
    /// </summary>
    /// <param name="root">The result to draw, usually a loss.</param>
    /// <param name="options">Names for tensors, and whether to show values and gradients; none, values and gradients hidden, when null.</param>
    /// <returns>A <c>digraph</c>, ending in a line break.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="root"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="GraphDrawingOptions.Names"/> gives a tensor a null name.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="root"/> was disposed.</exception>
    /// <exception cref="InvalidOperationException">
    /// A <see cref="Tensor.Backward"/> without <c>retainGraph</c> released part of the graph; draw before Backward, or pass <c>retainGraph: true</c>.
    /// </exception>
    public static string ToDot(Tensor root, GraphDrawingOptions? options = null)
        => DotFormat.Write(GraphDrawing.Of(root, options, $"{nameof(ComputationGraph)}.{nameof(ToDot)}"));

    /// <summary>
    /// The graph recorded for <paramref name="root"/> as a Mermaid flowchart, left to right (<c>flowchart LR</c>), with
    /// classes <c>parameter</c>, <c>constant</c>, <c>op</c> and <c>result</c> for the kinds of node: paste it into a
    /// <c>```mermaid</c> block of a Markdown file on GitHub, or render it with the Mermaid CLI.
    /// </summary>
    /// <inheritdoc cref="ToDot" path="/param"/>
    /// <returns>A <c>flowchart</c>, ending in a line break.</returns>
    /// <inheritdoc cref="ToDot" path="/exception"/>
    public static string ToMermaid(Tensor root, GraphDrawingOptions? options = null)
        => MermaidFormat.Write(GraphDrawing.Of(root, options, $"{nameof(ComputationGraph)}.{nameof(ToMermaid)}"));
}
