using System.Runtime.CompilerServices;
using AutoGrad.NN;
using AutoGrad.Optimizers;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Autodiff;

/// <summary>
/// <see cref="Tensor.DetectAnomaly"/>: the first NaN or ±∞ in a forward result or a backward gradient throws, naming the
/// op, the element and the line of this file that called the op; nothing is changed by the throw; and outside the
/// scope nothing is checked.
/// </summary>
public sealed class AnomalyDetectionTests
{
    private const string ThisFile = "AnomalyDetectionTests.cs";

    private static readonly (string Op, Func<Tensor, Tensor> Apply)[] UnaryOps =
    [
        ("Negate", x => x.Negate()),
        ("Exp", x => x.Exp()),
        ("Log", x => x.Log()),
        ("Sqrt", x => x.Sqrt()),
        ("Abs", x => x.Abs()),
        ("Tanh", x => x.Tanh()),
        ("Sin", x => x.Sin()),
        ("Cos", x => x.Cos()),
        ("Sigmoid", x => x.Sigmoid()),
        ("Relu", x => x.Relu()),
        ("LeakyRelu", x => x.LeakyRelu()),
        ("Softplus", x => x.Softplus()),
        ("Softmax", x => x.Softmax()),
        ("LogSoftmax", x => x.LogSoftmax()),
        ("Sum", x => x.Sum()),
        ("Sum", x => x.Sum(1)),
        ("Max", x => x.Max(1)),
        ("Transpose", x => x.Transpose()),
        ("Reshape", x => x.Reshape(-1)),
        ("BroadcastTo", x => x.BroadcastTo(2, 2, 3)),
        ("ToDType", x => x.ToDType(DType.Float32)),
        ("TakeAlongLastAxis", x => x.TakeAlongLastAxis([1, 0])),
        ("Add", x => x + 1),
        ("Multiply", x => x * 2),
        ("Divide", x => x / 2),
        ("Pow", x => x.Pow(2)),
        ("Maximum", x => x.Maximum(Tensor.Zeros([3], DType.Float64))),
        ("Minimum", x => x.Minimum(Tensor.Zeros([3], DType.Float64))),
        ("MatMul", x => x.MatMul(Tensor.Ones([3, 2], DType.Float64))),
        ("Dot", x => Tensor.Create(new[] { 1.0, double.NaN }).Dot(Tensor.Ones([2], DType.Float64))),
        ("Affine", x => x.Affine(Tensor.Ones([4, 3], DType.Float64))),
        ("MseLoss", x => Tensor.MseLoss(x, Tensor.Zeros([2, 3], DType.Float64))),
        ("CrossEntropyLoss", x => Tensor.CrossEntropyLoss(x, [0, 2])),
    ];

    public static IEnumerable<TestCaseData> OpsOnNaN()
        => UnaryOps.Select(op => new TestCaseData(op.Op, op.Apply).SetName($"{op.Op} of data holding NaN is named, and the NaN is traced to the data"));

    [Test]
    public void Is_off_by_default_and_nothing_is_checked()
    {
        Tensor x = Tensor.Create(new[] { 0.0, 1.0 });

        Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.False);
        Assert.That(x.Log()[0], Is.EqualTo(double.NegativeInfinity));
    }

    [Test]
    public void An_op_that_makes_infinity_throws_naming_the_op_the_element_and_the_calling_line()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0, 0.0, 4.0 }, [2, 2]).RequireGrad();

        using (Tensor.DetectAnomaly())
        {
            int line = Line() + 1;
            var error = Assert.Throws<AnomalyException>(() => x.Log())!;

            Assert.That(error.Operation, Is.EqualTo("Log"));
            Assert.That(error.InBackward, Is.False);
            Assert.That(error.SourceFile, Does.EndWith(ThisFile));
            Assert.That(error.SourceLine, Is.EqualTo(line));
            Assert.That(error.ElementIndex, Is.EqualTo(2));
            Assert.That(error.Shape.ToArray(), Is.EqualTo(new[] { 2, 2 }));
            Assert.That(error.OffendingNumber, Is.EqualTo(double.NegativeInfinity));
            Assert.That(error, Is.InstanceOf<NotFiniteNumberException>());
            Assert.That(
                error.Message,
                Does.Contain("Log produced −∞ at index [1, 0] of its result of shape [2, 2]")
                    .And.Contain($"{ThisFile}:line {line}")
                    .And.Contain("Its inputs were finite"));
        }
    }

    [Test]
    public void An_operator_is_named_with_the_op_it_runs_and_the_operator_the_code_used()
    {
        Tensor zero = Tensor.Zeros([3]);

        using (Tensor.DetectAnomaly())
        {
            int line = Line() + 1;
            var error = Assert.Throws<AnomalyException>(() => _ = zero / zero)!;

            Assert.That(error.Operation, Is.EqualTo("Divide"));
            Assert.That(error.SourceLine, Is.EqualTo(line));
            Assert.That(error.OffendingNumber, Is.NaN);
            Assert.That(error.Message, Does.Contain("through operator /"));
        }
    }

    [Test]
    public void A_module_is_named_and_the_line_is_the_one_that_called_it()
    {
        var layer = new Linear(3, 2, new RandomSource(1));
        Tensor input = Tensor.Create(new[] { 1f, float.PositiveInfinity, 0f }, [1, 3]);

        using (Tensor.DetectAnomaly())
        {
            int line = Line() + 1;
            var error = Assert.Throws<AnomalyException>(() => layer.Forward(input))!;

            Assert.That(error.SourceLine, Is.EqualTo(line));
            Assert.That(error.Message, Does.Contain("through Linear.Forward").And.Contain("Its input 0 (shape [1, 3]) already held +∞ at index [0, 1]"));
        }
    }

    [TestCaseSource(nameof(OpsOnNaN))]
    public void Every_op_names_itself_when_its_input_holds_NaN(string op, Func<Tensor, Tensor> apply)
    {
        Tensor x = Tensor.Create(new[] { 0.5, double.NaN, -1.5, 2.0, -0.25, 1.0 }, [2, 3]).RequireGrad();

        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => apply(x))!;

            Assert.That(error.Operation, Is.EqualTo(op));
            Assert.That(error.Message, Does.Contain("already held NaN").And.Contain($"not from {op}"));
            Assert.That(error.SourceFile, Does.EndWith(ThisFile));
        }
    }

    [Test]
    public void A_backward_rule_that_makes_infinity_is_named_with_the_line_that_recorded_the_op()
    {
        Tensor x = Tensor.Create(new[] { 4.0, 0.0, 1.0 }).RequireGrad();

        using (Tensor.DetectAnomaly())
        {
            int line = Line() + 1;
            Tensor y = x.Sqrt(); // sqrt(0) = 0 is fine; its derivative 1 / (2·sqrt(0)) is not
            Tensor loss = (y * 3).Sum();

            var error = Assert.Throws<AnomalyException>(() => loss.Backward())!;

            Assert.That(error.Operation, Is.EqualTo("Sqrt"));
            Assert.That(error.InBackward, Is.True);
            Assert.That(error.SourceLine, Is.EqualTo(line));
            Assert.That(error.ElementIndex, Is.EqualTo(1));
            Assert.That(error.OffendingNumber, Is.EqualTo(double.PositiveInfinity));
            Assert.That(
                error.Message,
                Does.Contain("the backward rule of Sqrt")
                    .And.Contain($"{ThisFile}:line {line}")
                    .And.Contain("+∞ at index [1] of the gradient of its input 0 (shape [3]), where that input is 0"));
        }
    }

    [Test]
    public void A_stopped_Backward_changes_no_gradient_and_keeps_the_graph()
    {
        Tensor w = Tensor.Create(new[] { 4.0, 0.0, 1.0 }).RequireGrad();
        Tensor b = Tensor.Create(new[] { 1.0, 2.0, 3.0 }).RequireGrad();
        Tensor fresh = Tensor.Create(new[] { 2.0, 2.0, 2.0 }).RequireGrad();
        (w * b).Sum().Backward(); // earlier gradients, to be kept
        long[] wGrad = TestTensors.Bits(w.Grad!), bGrad = TestTensors.Bits(b.Grad!);

        Tensor loss;
        using (Tensor.DetectAnomaly())
        {
            // b and fresh receive their gradients before Sqrt's rule fails
            loss = ((w.Sqrt() * b) + (w * fresh)).Sum();
            Assert.Throws<AnomalyException>(() => loss.Backward());
        }

        Assert.That(TestTensors.Bits(w.Grad!), Is.EqualTo(wGrad));
        Assert.That(TestTensors.Bits(b.Grad!), Is.EqualTo(bGrad));
        Assert.That(fresh.Grad, Is.Null);

        loss.Backward(); // the graph is still there; without detection the infinity goes through
        Assert.That(w.Grad![1], Is.EqualTo(double.PositiveInfinity));
        TestTensors.AssertClose(b.Grad!, [4 + 2, 0 + 0, 1 + 1], 0);
        TestTensors.AssertClose(fresh.Grad!, [4, 0, 1], 0);
    }

    [Test]
    public void A_failing_forward_op_records_nothing_and_changes_no_input()
    {
        Tensor x = Tensor.Create(new[] { -1.0, 4.0 }).RequireGrad();
        Tensor scaled = x * 2;

        using (Tensor.DetectAnomaly())
        {
            Assert.Throws<AnomalyException>(() => scaled.Sqrt());
        }

        Assert.That(scaled.ToArray<double>(), Is.EqualTo(new[] { -2.0, 8.0 }));
        scaled.Sum().Backward();
        TestTensors.AssertClose(x.Grad!, [2, 2], 0);
    }

    [Test]
    public void A_seed_gradient_or_an_earlier_leaf_gradient_that_is_not_finite_is_refused_before_the_walk()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 2.0 }).RequireGrad();

        using (Tensor.DetectAnomaly())
        {
            Tensor y = x * 3;
            var seedError = Assert.Throws<AnomalyException>(() => y.Backward(Tensor.Create(new[] { 1.0, double.NaN })))!;
            Assert.That(seedError.Operation, Is.EqualTo("Backward"));
            Assert.That(seedError.Message, Does.Contain("the gradient passed in of shape [2] holds NaN at index [1]"));
            Assert.That(x.Grad, Is.Null);

            y.Backward(Tensor.Create(new[] { 1.0, 1.0 }), retainGraph: true);
            x.Grad!.FillInPlace(double.PositiveInfinity);
            var leafError = Assert.Throws<AnomalyException>(() => y.Backward(Tensor.Create(new[] { 1.0, 1.0 })))!;
            Assert.That(leafError.Message, Does.Contain("ZeroGrad"));
        }
    }

    [Test]
    public void A_rule_recorded_outside_the_scope_is_still_caught_and_says_why_no_line_is_known()
    {
        Tensor x = Tensor.Create(new[] { 0.0 }).RequireGrad();
        Tensor loss = x.Sqrt().Sum();

        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => loss.Backward())!;

            Assert.That(error.SourceFile, Is.Null);
            Assert.That(error.Message, Does.Contain("recorded outside DetectAnomaly"));

            // The record carries its op's name whether or not detection was on when it was made.
            Assert.That(error.Operation, Is.EqualTo("Sqrt"));
            Assert.That(error.Message, Does.StartWith("Anomaly detection: the backward rule of Sqrt (recorded outside DetectAnomaly"));
        }
    }

    [Test]
    public void A_call_from_a_lambda_is_named_after_the_method_that_holds_it()
    {
        Tensor zero = Tensor.Zeros([1]);
        Func<Tensor> divide = () => zero / zero;

        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => divide())!;

            Assert.That(error.Message, Does.Contain($"{nameof(AnomalyDetectionTests)}.{nameof(A_call_from_a_lambda_is_named_after_the_method_that_holds_it)} (a lambda)"));
        }
    }

    [Test]
    public void Scopes_nest_and_belong_to_their_thread()
    {
        bool onOtherThread = true;
        using (Tensor.DetectAnomaly())
        {
            using (Tensor.DetectAnomaly())
            {
                Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.True);
            }

            Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.True, "the outer scope is still open");
            var other = new Thread(() => onOtherThread = Tensor.IsAnomalyDetectionEnabled || Tensor.Zeros([1]).Log().AllFinite());
            other.Start();
            other.Join();
        }

        Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.False);
        Assert.That(onOtherThread, Is.False, "another thread neither detects nor throws");
    }

    [Test]
    public void One_call_site_reaching_different_modules_names_each_one()
    {
        Module[] layers = [new Linear(2, 2, new RandomSource(1)), new Relu()];
        Tensor input = Tensor.Create(new[] { float.NaN, 1f }, [1, 2]);
        var through = new List<string>();

        using (Tensor.DetectAnomaly())
        {
            foreach (Module layer in layers)
            {
                through.Add(Assert.Throws<AnomalyException>(() => layer.Forward(input))!.Message);
            }
        }

        Assert.That(through[0], Does.Contain("through Linear.Forward"));
        Assert.That(through[1], Does.Contain("through Relu.Forward"));
    }

    [Test]
    public void The_first_infinity_is_reported_whatever_its_sign()
    {
        Tensor x = Tensor.Create(new[] { 1.0, double.NegativeInfinity, double.PositiveInfinity });

        using (Tensor.DetectAnomaly())
        {
            var error = Assert.Throws<AnomalyException>(() => x.Negate())!;

            Assert.That(error.ElementIndex, Is.EqualTo(1));
            Assert.That(error.OffendingNumber, Is.EqualTo(double.PositiveInfinity), "−(−∞)");
        }
    }

    [Test]
    public void A_stale_Dispose_ends_no_later_scope_and_another_thread_may_not_end_one()
    {
        AnomalyDetectionScope first = Tensor.DetectAnomaly();
        first.Dispose();
        using (Tensor.DetectAnomaly())
        {
            first.Dispose();
            Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.True, "the second scope, at the same depth, is still open");

            AnomalyDetectionScope current = Tensor.DetectAnomaly();
            Exception? fromOtherThread = null;
            var other = new Thread(() => fromOtherThread = Catch(current.Dispose));
            other.Start();
            other.Join();
            Assert.That(fromOtherThread, Is.InstanceOf<InvalidOperationException>().With.Message.Contain("another thread"));
            current.Dispose();
        }

        Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.False);
    }

    [Test]
    public void Disposing_a_scope_twice_or_an_outer_scope_first_leaves_detection_off()
    {
        AnomalyDetectionScope outer = Tensor.DetectAnomaly();
        AnomalyDetectionScope inner = Tensor.DetectAnomaly();
        outer.Dispose();
        Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.False, "the outer scope ends the inner one too");

        inner.Dispose();
        outer.Dispose();
        Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.False);
        using (Tensor.DetectAnomaly())
        {
            Assert.That(Tensor.IsAnomalyDetectionEnabled, Is.True, "a stale Dispose ended nothing it did not begin");
        }

        Assert.That(Tensor.Zeros([1]).Log().AllFinite(), Is.False, "nothing is checked once every scope has ended");
    }

    [Test]
    public void Training_under_detection_gives_the_same_bits_as_without()
    {
        float[][] plain = Train(detect: false);
        float[][] detected = Train(detect: true);

        Assert.That(detected, Is.EqualTo(plain));
    }

    /// <summary>Three scoped Adam steps of a small MLP; returns the parameters.</summary>
    private static float[][] Train(bool detect)
    {
        var random = new RandomSource(5);
        var model = new Mlp([6, 8, 3], random);
        var adam = new Adam(model.Parameters(), learningRate: 0.01);
        Tensor inputs = Tensor.RandomNormal([4, 6], random);
        for (int step = 0; step < 3; step++)
        {
            using AnomalyDetectionScope detection = detect ? Tensor.DetectAnomaly() : default;
            using TensorScope scope = Tensor.Scope();
            Losses.CrossEntropy(model.Forward(inputs), [0, 2, 1, 2]).Backward();
            adam.Step();
            adam.ZeroGrad();
        }

        return [.. model.Parameters().Select(p => p.ToArray<float>())];
    }

    private static int Line([CallerLineNumber] int line = 0) => line;

    private static InvalidOperationException? Catch(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }
}
