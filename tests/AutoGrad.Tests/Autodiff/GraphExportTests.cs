using AutoGrad.Autodiff;
using AutoGrad.NN;

namespace AutoGrad.Tests.Autodiff;

/// <summary>
/// <see cref="ComputationGraph"/>: the exact DOT and Mermaid text of known graphs (written out here, not produced by the
/// code under test), fan-out, leaves, values and gradients, escaping, and the graphs that cannot be drawn.
/// </summary>
public sealed class GraphExportTests
{
    private const string DotHeader = """
        digraph ComputationGraph {
            rankdir=LR;
            node [style=filled, fontname="Helvetica", fontsize=11, color="#555555"];
            edge [color="#555555", fontname="Helvetica", fontsize=9];

        """;

    private const string MermaidHeader = """
        flowchart LR
            classDef constant fill:#ffffff,stroke:#555555,stroke-dasharray:4 3
            classDef parameter fill:#add8e6,stroke:#555555
            classDef op fill:#e8e8e8,stroke:#555555
            classDef result fill:#caff70,stroke:#555555

        """;

    [Test]
    public void A_single_neuron_with_named_tensors_draws_as_this_exact_DOT()
    {
        (Tensor loss, GraphDrawingOptions options) = Neuron();

        Assert.That(ComputationGraph.ToDot(loss, options), Is.EqualTo("""
            digraph ComputationGraph {
                rankdir=LR;
                node [style=filled, fontname="Helvetica", fontsize=11, color="#555555"];
                edge [color="#555555", fontname="Helvetica", fontsize=9];
                n0 [label="x\n[3, 2]", shape=box, style="filled,dashed", fillcolor="#ffffff"];
                n1 [label="w\n[1, 2]\nrequires grad", shape=box, fillcolor="#add8e6"];
                n2 [label="b\n[1]\nrequires grad", shape=box, fillcolor="#add8e6"];
                n3 [label="Affine\n[3, 1]", shape=ellipse, fillcolor="#e8e8e8"];
                n4 [label="Relu\n[3, 1]", shape=ellipse, fillcolor="#e8e8e8"];
                n5 [label="y\n[3, 1]", shape=box, style="filled,dashed", fillcolor="#ffffff"];
                n6 [label="MseLoss\n[]", shape=ellipse, fillcolor="#caff70"];
                n0 -> n3;
                n1 -> n3;
                n2 -> n3;
                n3 -> n4;
                n4 -> n6;
                n5 -> n6;
            }

            """));
    }

    [Test]
    public void A_single_neuron_with_named_tensors_draws_as_this_exact_Mermaid()
    {
        (Tensor loss, GraphDrawingOptions options) = Neuron();

        Assert.That(ComputationGraph.ToMermaid(loss, options), Is.EqualTo("""
            flowchart LR
                classDef constant fill:#ffffff,stroke:#555555,stroke-dasharray:4 3
                classDef parameter fill:#add8e6,stroke:#555555
                classDef op fill:#e8e8e8,stroke:#555555
                classDef result fill:#caff70,stroke:#555555
                n0["x<br/>[3, 2]"]:::constant
                n1["w<br/>[1, 2]<br/>requires grad"]:::parameter
                n2["b<br/>[1]<br/>requires grad"]:::parameter
                n3(["Affine<br/>[3, 1]"]):::op
                n4(["Relu<br/>[3, 1]"]):::op
                n5["y<br/>[3, 1]"]:::constant
                n6(["MseLoss<br/>[]"]):::result
                n0 --> n3
                n1 --> n3
                n2 --> n3
                n3 --> n4
                n4 --> n6
                n5 --> n6

            """));
    }

    [Test]
    public void A_tensor_used_by_two_ops_has_an_edge_to_each_and_nodes_follow_the_walk_from_the_root()
    {
        Tensor a = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor b = Tensor.Create([3f, 4f]).RequireGrad();
        Tensor c = Tensor.Create([5f, 6f]).RequireGrad();
        Tensor product = (a + b) * (c + a);

        // Multiply's first input (a + b) is walked first, its leaves just before it; a is numbered once, at its first use.
        Assert.That(ComputationGraph.ToMermaid(product), Is.EqualTo(MermaidHeader + """
                n0["[2]<br/>requires grad"]:::parameter
                n1["[2]<br/>requires grad"]:::parameter
                n2(["Add<br/>[2]"]):::op
                n3["[2]<br/>requires grad"]:::parameter
                n4(["Add<br/>[2]"]):::op
                n5(["Multiply<br/>[2]"]):::result
                n0 --> n2
                n1 --> n2
                n3 --> n4
                n0 --> n4
                n2 --> n5
                n4 --> n5

            """));
    }

    [Test]
    public void A_tensor_an_op_uses_twice_has_two_edges_labelled_with_its_argument_positions()
    {
        Tensor x = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor square = x * x;

        Assert.That(ComputationGraph.ToDot(square), Is.EqualTo(DotHeader + """
                n0 [label="[2]\nrequires grad", shape=box, fillcolor="#add8e6"];
                n1 [label="Multiply\n[2]", shape=ellipse, fillcolor="#caff70"];
                n0 -> n1 [label="0"];
                n0 -> n1 [label="1"];
            }

            """));
        Assert.That(ComputationGraph.ToMermaid(square), Does.EndWith("    n0 -->|0| n1\n    n0 -->|1| n1\n"));
    }

    [Test]
    public void A_tensor_with_no_record_draws_as_one_leaf_node()
    {
        Tensor data = Tensor.Zeros([2, 3]);
        Tensor parameter = Tensor.Ones([4]).RequireGrad();
        Tensor unrecorded;
        using (Tensor.NoGrad())
        {
            unrecorded = parameter * 2;
        }

        Assert.That(ComputationGraph.ToDot(data), Is.EqualTo(DotHeader + """
                n0 [label="[2, 3]", shape=box, style="filled,dashed", fillcolor="#ffffff"];
            }

            """));
        Assert.That(ComputationGraph.ToMermaid(parameter, new GraphDrawingOptions { Names = { [parameter] = "p" } }), Is.EqualTo(MermaidHeader + """
                n0["p<br/>[4]<br/>requires grad"]:::parameter

            """));
        Assert.That(ComputationGraph.ToMermaid(unrecorded), Is.EqualTo(MermaidHeader + "    n0[\"[4]\"]:::constant\n"));
    }

    [Test]
    public void Constants_and_parameters_are_drawn_differently()
    {
        Tensor p = Tensor.Create([1f, -2f]).RequireGrad();
        Tensor y = (p * 2) - Tensor.Create([0.5f, 0.25f]);

        // 2 becomes a scalar constant. Subtract is Add of Negate, and negating a constant is not recorded (nothing in it
        // requires a gradient), so the negated constant is the leaf.
        Assert.That(ComputationGraph.ToDot(y, new GraphDrawingOptions { ShowValues = true }), Is.EqualTo(DotHeader + """
                n0 [label="[2]\nrequires grad\nvalue [1, -2]", shape=box, fillcolor="#add8e6"];
                n1 [label="[]\nvalue 2", shape=box, style="filled,dashed", fillcolor="#ffffff"];
                n2 [label="Multiply\n[2]\nvalue [2, -4]", shape=ellipse, fillcolor="#e8e8e8"];
                n3 [label="[2]\nvalue [-0.5, -0.25]", shape=box, style="filled,dashed", fillcolor="#ffffff"];
                n4 [label="Add\n[2]\nvalue [1.5, -4.25]", shape=ellipse, fillcolor="#caff70"];
                n0 -> n2;
                n1 -> n2;
                n2 -> n4;
                n3 -> n4;
            }

            """));
    }

    [Test]
    public void Values_and_gradients_show_after_a_Backward_that_retains_the_graph()
    {
        Tensor w = Tensor.Create([2f, -1f]).RequireGrad();
        Tensor x = Tensor.Create([3f, 4f]);
        Tensor z = w * x;
        z.RetainGrad();
        Tensor loss = z.Sum();
        loss.Backward(retainGraph: true);
        var options = new GraphDrawingOptions { ShowValues = true, ShowGradients = true, Names = { [w] = "w", [x] = "x", [z] = "z" } };

        // x requires no gradient, so it has no grad line; the root kept no gradient (no RetainGrad), as in PyTorch.
        Assert.That(ComputationGraph.ToMermaid(loss, options), Is.EqualTo(MermaidHeader + """
                n0["w<br/>[2]<br/>requires grad<br/>value [2, -1]<br/>grad [3, 4]"]:::parameter
                n1["x<br/>[2]<br/>value [3, 4]"]:::constant
                n2(["z<br/>Multiply<br/>[2]<br/>value [6, -4]<br/>grad [1, 1]"]):::op
                n3(["Sum<br/>[]<br/>value 2<br/>grad none"]):::result
                n0 --> n2
                n1 --> n2
                n2 --> n3

            """));
    }

    [Test]
    public void Large_tensors_are_abridged_to_MaxElements_then_an_ellipsis()
    {
        Tensor big = Tensor.Arange(0, 100).Reshape(10, 10).RequireGrad();
        Tensor small = Tensor.Create(new double[] { 0.1, 1e-7, 123456, double.NaN, double.NegativeInfinity, double.PositiveInfinity });

        Assert.That(ComputationGraph.ToDot(big, new GraphDrawingOptions { ShowValues = true }), Does.Contain("label=\"[10, 10]\\nrequires grad\\nvalue [0, 1, 2, 3, 4, 5, …]\""));
        Assert.That(ComputationGraph.ToDot(big, new GraphDrawingOptions { ShowValues = true, MaxElements = 2 }), Does.Contain("value [0, 1, …]\""));
        Assert.That(ComputationGraph.ToDot(small, new GraphDrawingOptions { ShowValues = true }), Does.Contain("value [0.1, 1E-07, 1.235E+05, nan, -inf, inf]\""), "exactly MaxElements: no ellipsis");
        Assert.That(ComputationGraph.ToDot(big, new GraphDrawingOptions { ShowGradients = true }), Does.Contain("\\ngrad none\""), "no gradient yet");
    }

    [Test]
    public void A_hostile_name_is_escaped_for_each_format()
    {
        Tensor x = Tensor.Create([1f]).RequireGrad();
        var options = new GraphDrawingOptions { Names = { [x] = "say \"hi\" <b>\\n & #1 `x`\r\nline 2\tend" } };

        Assert.That(ComputationGraph.ToDot(x, options), Is.EqualTo(DotHeader + """
                n0 [label="say \"hi\" <b>\\n & #1 `x`\nline 2 end\n[1]\nrequires grad", shape=box, fillcolor="#add8e6"];
            }

            """));
        Assert.That(ComputationGraph.ToMermaid(x, options), Is.EqualTo(MermaidHeader + """
                n0["say #quot;hi#quot; #lt;b#gt;\n #amp; #35;1 #96;x#96;<br/>line 2 end<br/>[1]<br/>requires grad"]:::parameter

            """));
    }

    [Test]
    public void A_name_Mermaid_would_read_as_a_directive_a_comment_or_a_style_stays_text()
    {
        Tensor x = Tensor.Create([1f]).RequireGrad();
        var options = new GraphDrawingOptions { Names = { [x] = "w %%{init: {'theme':'forest'}}%% end\u2028%% gone\u2029style:#x;" } };

        Assert.That(ComputationGraph.ToMermaid(x, options), Is.EqualTo(MermaidHeader + """
                n0["w #37;#37;{init#58; {'theme'#58;'forest'}}#37;#37; end<br/>#37;#37; gone<br/>style#58;#35;x;<br/>[1]<br/>requires grad"]:::parameter

            """));
        Assert.That(ComputationGraph.ToDot(x, options), Is.EqualTo(DotHeader + """
                n0 [label="w %%{init: {'theme':'forest'}}%% end\n%% gone\nstyle:#x;\n[1]\nrequires grad", shape=box, fillcolor="#add8e6"];
            }

            """));
    }

    [Test]
    public void Escaping_leaves_no_quote_that_would_end_the_label_early()
    {
        string name = "a\"]) --> evil[\"\\\"";
        Tensor x = Tensor.Create([1f]).RequireGrad();
        var options = new GraphDrawingOptions { Names = { [x] = name } };

        string mermaidLabel = ComputationGraph.ToMermaid(x, options).Split('\n')[5];
        Assert.That(mermaidLabel.Count(c => c == '"'), Is.EqualTo(2), mermaidLabel);
        string dotLabel = ComputationGraph.ToDot(x, options).Split('\n')[4];
        Assert.That(dotLabel, Does.StartWith("    n0 [label=\"a\\\"]) --> evil[\\\"\\\\\\\"\\n[1]"));
    }

    [Test]
    public void A_module_s_named_parameters_and_other_names_label_their_nodes()
    {
        var layer = new Linear(2, 1, new RandomSource(1));
        Tensor x = Tensor.Ones([3, 2]);
        Tensor hidden = layer.Forward(x);
        Tensor output = hidden.Sigmoid();
        var options = new GraphDrawingOptions { Names = { [x] = "input", [hidden] = "pre-activation" } }.AddNames(layer.NamedParameters());

        Assert.That(ComputationGraph.ToMermaid(output, options), Is.EqualTo(MermaidHeader + """
                n0["input<br/>[3, 2]"]:::constant
                n1["weight<br/>[1, 2]<br/>requires grad"]:::parameter
                n2["bias<br/>[1]<br/>requires grad"]:::parameter
                n3(["pre-activation<br/>Affine<br/>[3, 1]"]):::op
                n4(["Sigmoid<br/>[3, 1]"]):::result
                n0 --> n3
                n1 --> n3
                n2 --> n3
                n3 --> n4

            """));
    }

    [Test]
    public void AddNames_replaces_earlier_names_and_adds_nothing_when_a_pair_is_null()
    {
        Tensor a = Tensor.Ones([1]), b = Tensor.Ones([1]);
        var options = new GraphDrawingOptions { Names = { [a] = "old" } };

        Assert.That(options.AddNames([new("new", a), new("b", b)]), Is.SameAs(options));
        Assert.That(options.Names[a], Is.EqualTo("new"));
        Assert.That(() => options.AddNames([new("c", Tensor.Ones([1])), new("d", null!)]), Throws.ArgumentException.With.Message.Contain("null tensor (named \"d\")"));
        Assert.That(options.Names, Has.Count.EqualTo(2));
        Assert.That(() => options.AddNames(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Names_compare_tensors_by_reference()
    {
        Tensor a = Tensor.Ones([1]), twin = Tensor.Ones([1]);
        var options = new GraphDrawingOptions { Names = { [a] = "a" } };

        Assert.That(options.Names.ContainsKey(twin), Is.False);
        Assert.That(ComputationGraph.ToDot(twin, options), Does.Not.Contain("\"a\\n"));
    }

    [Test]
    public void An_absent_bias_has_no_node_and_no_edge()
    {
        Tensor x = Tensor.Ones([3, 2]);
        Tensor w = Tensor.Ones([1, 2]).RequireGrad();

        Assert.That(ComputationGraph.ToMermaid(x.Affine(w)), Does.EndWith("""
                n2(["Affine<br/>[3, 1]"]):::result
                n0 --> n2
                n1 --> n2

            """));
    }

    [Test]
    public void A_disposed_tensor_inside_the_graph_is_drawn_with_its_values_marked_disposed()
    {
        Tensor p = Tensor.Create([0f, 1f]).RequireGrad();
        Tensor loss;
        using (TensorScope scope = Tensor.Scope())
        {
            loss = scope.Keep(p.Exp().Sum());
        }

        Assert.That(ComputationGraph.ToDot(loss, new GraphDrawingOptions { ShowValues = true }), Does.Contain("n1 [label=\"Exp\\n[2]\\nvalue (disposed)\""));
    }

    [Test]
    public void The_same_graph_gives_the_same_text_every_time()
    {
        // Two equal graphs of different tensors, and one graph drawn twice.
        string first = ComputationGraph.ToDot(Neuron().Loss);
        string second = ComputationGraph.ToDot(Neuron().Loss);
        (Tensor loss, GraphDrawingOptions options) = Neuron();
        string once = ComputationGraph.ToMermaid(loss, options);
        string twice = ComputationGraph.ToMermaid(loss, options);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(twice, Is.EqualTo(once));
    }

    [Test]
    public void Threads_drawing_one_graph_at_once_each_get_the_whole_graph()
    {
        // A long chain in which every step uses its input through two ops, so that the threads' walks overlap for long.
        Tensor t = Tensor.Create([0.5f]).RequireGrad();
        for (int step = 0; step < 300; step++)
        {
            Tensor u = t.Tanh();
            t = (u * u) + (u * 0.5);
        }

        string alone = ComputationGraph.ToDot(t);
        const int Threads = 4, DrawingsPerThread = 25;
        var drawn = new string[Threads * DrawingsPerThread];
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(thread => new Thread(() =>
        {
            for (int i = 0; i < DrawingsPerThread; i++)
            {
                drawn[(thread * DrawingsPerThread) + i] = ComputationGraph.ToDot(t);
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.That(drawn, Is.All.EqualTo(alone));
    }

    [Test]
    public void Drawing_records_nothing_and_leaves_the_graph_ready_for_Backward()
    {
        (Tensor loss, GraphDrawingOptions options) = Neuron();
        Tensor w = options.Names.Single(pair => pair.Value == "w").Key;

        _ = ComputationGraph.ToDot(loss, options);
        _ = ComputationGraph.ToMermaid(loss, options);
        loss.Backward();

        Assert.That(w.Grad, Is.Not.Null);
    }

    [Test]
    public void A_released_graph_cannot_be_drawn_and_the_message_says_how_to_avoid_it()
    {
        Tensor p = Tensor.Create([1f, 2f]).RequireGrad();
        Tensor loss = (p * p).Sum();
        loss.Backward();

        Assert.That(() => ComputationGraph.ToDot(loss), Throws.InvalidOperationException.With.Message.Contain("ComputationGraph.ToDot").And.Message.Contain("released")
            .And.Message.Contain("before Backward").And.Message.Contain("Backward(retainGraph: true)"));

        // Released further down: the root's own record is intact, the Exp below it is not.
        Tensor hidden = p.Exp();
        hidden.Sum().Backward();
        Tensor other = (hidden * 2).Sum();
        Assert.That(() => ComputationGraph.ToMermaid(other), Throws.InvalidOperationException.With.Message.Contain("ComputationGraph.ToMermaid").And.Message.Contain("released"));
    }

    [Test]
    public void A_null_or_disposed_root_or_a_null_name_is_rejected()
    {
        Tensor disposed;
        using (Tensor.Scope())
        {
            disposed = Tensor.Ones([2, 3]);
        }

        Tensor x = Tensor.Ones([2]);

        Assert.That(() => ComputationGraph.ToDot(null!), Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("root"));
        Assert.That(() => ComputationGraph.ToMermaid(disposed), Throws.InstanceOf<ObjectDisposedException>().With.Message.Contain("ComputationGraph.ToMermaid").And.Message.Contain("[2, 3]"));
        Assert.That(() => ComputationGraph.ToDot(x, new GraphDrawingOptions { Names = { [x] = null! } }), Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("options"));
        Assert.That(() => new GraphDrawingOptions { MaxElements = 0 }, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    public static IEnumerable<TestCaseData> ComposedOps()
    {
        Tensor Matrix() => Tensor.Create([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]).RequireGrad();
        Tensor Vector() => Tensor.Create([1f, -2f, 3f]).RequireGrad();
        (string, Func<Tensor>, string[])[] cases =
        [
            ("MatMul of matrices", () => Matrix().MatMul(Matrix().Transpose()), ["Transpose", "MatMul"]),
            ("MatMul of a matrix and a vector", () => Matrix().MatMul(Vector()), ["Reshape", "MatMul", "Reshape"]),
            ("MatMul of vectors", () => Vector().MatMul(Vector()), ["Dot"]),
            ("Softmax", () => Matrix().Softmax(), ["Softmax"]),
            ("LogSoftmax", () => Matrix().LogSoftmax(0), ["LogSoftmax"]),
            ("Sum", () => Matrix().Sum(), ["Sum"]),
            ("Sum along an axis", () => Matrix().Sum(1), ["Sum"]),
            ("Sum along an axis, kept", () => Matrix().Sum(1, keepDims: true), ["Sum"]),
            ("Max", () => Matrix().Max(0), ["Max"]),
            ("Mean", () => Matrix().Mean(), ["Sum", "Multiply"]),
            ("Subtract", () => Matrix() - Matrix(), ["Negate", "Add"]),
            ("LeakyRelu", () => Matrix().LeakyRelu(), ["LeakyRelu"]),
            ("Sin then Cos", () => Matrix().Sin().Cos(), ["Sin", "Cos"]),
            ("TakeAlongLastAxis", () => Matrix().TakeAlongLastAxis([0, 2]), ["TakeAlongLastAxis"]),
            ("CrossEntropyLoss", () => Tensor.CrossEntropyLoss(Matrix(), [0, 2]), ["CrossEntropyLoss"]),
            ("BroadcastTo", () => Vector().BroadcastTo(2, 3), ["BroadcastTo"]),
            ("ToDType", () => Vector().ToDType(DType.Float64), ["ToDType"]),
            ("Division by a scalar", () => Vector() / 2, ["Divide"]),
        ];
        return cases.Select(c => new TestCaseData(c.Item2, c.Item3).SetName($"Each record is named after the public op: {c.Item1}"));
    }

    [TestCaseSource(nameof(ComposedOps))]
    public void Each_record_is_named_after_the_public_op(Func<Tensor> compute, string[] expected)
    {
        Tensor result = compute();
        List<TapeEntry> order = GraphOrder.FromWithoutMarking(result.Entry!);
        try
        {
            Assert.That(order.Select(entry => entry.Op), Is.EqualTo(expected));
        }
        finally
        {
            GraphOrder.Return(order);
        }
    }

    /// <summary>max(0, x·wᵀ + b) against y, for 3 samples of 2 features, with x, y, w and b named.</summary>
    private static (Tensor Loss, GraphDrawingOptions Options) Neuron()
    {
        Tensor x = Tensor.Create([1f, 2f, 3f, 4f, 5f, 6f], [3, 2]);
        Tensor y = Tensor.Create([1f, 0f, 2f], [3, 1]);
        Tensor w = Tensor.Create([0.5f, -0.25f], [1, 2]).RequireGrad();
        Tensor b = Tensor.Create([0.1f], [1]).RequireGrad();
        Tensor loss = Tensor.MseLoss(x.Affine(w, b).Relu(), y);
        return (loss, new GraphDrawingOptions { Names = { [w] = "w", [b] = "b", [x] = "x", [y] = "y" } });
    }
}
