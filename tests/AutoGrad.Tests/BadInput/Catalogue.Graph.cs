using static AutoGrad.Tests.BadInput.BadInputKind;

namespace AutoGrad.Tests.BadInput;

// Drawing the computation graph: ComputationGraph.ToDot and ToMermaid, and GraphDrawingOptions.
public static partial class Catalogue
{
    private static readonly (string Name, Func<Tensor, GraphDrawingOptions?, string> Draw)[] Drawings =
    [
        ("ToDot", ComputationGraph.ToDot),
        ("ToMermaid", ComputationGraph.ToMermaid),
    ];

    private static IEnumerable<BadInputCase> GraphCases()
    {
        foreach ((string name, Func<Tensor, GraphDrawingOptions?, string> draw) in Drawings)
        {
            string entry = $"ComputationGraph.{name}";
            yield return Rejects<ArgumentNullException>(entry, Null, $"{name} of a null root", ["root"], _ => () => draw(null!, null)) with
            { ParamName = "root" };
            yield return Rejects<ObjectDisposedException>(entry, Disposed, $"{name} of a disposed root", [entry, "[2, 3]", "disposed"], a =>
            {
                Tensor root = a.Disposed(2, 3);
                return () => draw(root, null);
            });
            yield return Rejects<InvalidOperationException>(entry, FinishedTape, $"{name} after Backward without retainGraph", [entry, "[]", "released", "before Backward", "retainGraph: true"], a =>
            {
                Tensor leaf = a.Leaf(2, 3);
                Tensor loss = (leaf * leaf).Sum();
                loss.Backward();
                return () => draw(loss, null);
            });
            yield return Rejects<InvalidOperationException>(entry, FinishedTape, $"{name} through a released part of a graph", [entry, "released"], a =>
            {
                Tensor leaf = a.Leaf(2, 3);
                Tensor hidden = leaf.Exp();
                hidden.Sum().Backward();
                Tensor other = (hidden * 2).Sum();
                return () => draw(other, null);
            });
            yield return Rejects<ArgumentException>(entry, Null, $"{name} with a null name in options.Names", [entry, "null name", "[2, 3]"], a =>
            {
                Tensor y = a.Recorded(2, 3);
                var options = new GraphDrawingOptions { Names = { [y] = null! } };
                return () => draw(y, options);
            }) with
            { ParamName = "options" };
        }

        foreach (int count in new[] { 0, -1 })
        {
            yield return Rejects<ArgumentOutOfRangeException>("GraphDrawingOptions.set_MaxElements", Hyperparameter, $"MaxElements = {count}", ["MaxElements", $"{count}", "at least 1"], a =>
            {
                var options = new GraphDrawingOptions { MaxElements = 4 };
                a.Afterwards(() => Assert.That(options.MaxElements, Is.EqualTo(4), "MaxElements unchanged"));
                return () => options.MaxElements = count;
            });
        }

        yield return Rejects<ArgumentNullException>("GraphDrawingOptions.AddNames", Null, "AddNames of null", ["namedTensors"], a =>
        {
            var options = new GraphDrawingOptions();
            return () => options.AddNames(null!);
        }) with
        { ParamName = "namedTensors" };
        foreach ((string what, string? name, bool nullTensor) in new[] { ("a null tensor", (string?)"w", true), ("a null name", null, false) })
        {
            yield return Rejects<ArgumentException>("GraphDrawingOptions.AddNames", Null, $"AddNames of a pair with {what}", ["AddNames", what.Replace("a null ", "null ", StringComparison.Ordinal)], a =>
            {
                Tensor named = a.Leaf(2), other = a.Leaf(3);
                var options = new GraphDrawingOptions { Names = { [named] = "kept" } };
                a.Afterwards(() => Assert.That(options.Names, Is.EquivalentTo(new Dictionary<Tensor, string> { [named] = "kept" }), "no name added or replaced"));
                KeyValuePair<string, Tensor>[] pairs = [new("replaced", named), new(name!, nullTensor ? null! : other)];
                return () => options.AddNames(pairs);
            }) with
            { ParamName = "namedTensors" };
        }
    }

    private static IEnumerable<AcceptedCase> GraphAcceptedCases()
    {
        foreach ((string name, Func<Tensor, GraphDrawingOptions?, string> draw) in Drawings)
        {
            yield return new AcceptedCase($"ComputationGraph.{name}", NonFinite, $"{name} shows NaN and ±∞ values as nan, inf and -inf", a =>
            {
                Tensor x = a.Track(Tensor.Create([float.NaN, float.PositiveInfinity, float.NegativeInfinity]));
                return () => Assert.That(draw(x, new GraphDrawingOptions { ShowValues = true }), Does.Contain("value [nan, inf, -inf]"));
            });
        }
    }
}
