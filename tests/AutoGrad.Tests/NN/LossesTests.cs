using AutoGrad.NN;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.NN;

/// <summary>
/// The losses, for every reduction and both element types: values against closed forms computed here in float64,
/// gradients against closed forms and against central differences, stability at logits of ±1000, and bad input.
/// </summary>
public sealed class LossesTests
{
    private static readonly Reduction[] Reductions = [Reduction.Mean, Reduction.Sum, Reduction.None];

    private static readonly DType[] DTypes = [DType.Float32, DType.Float64];

    /// <summary>Class indices for the [5, 4] logits used below.</summary>
    private static readonly int[] Targets = [2, 0, 3, 3, 1];

    public static IEnumerable<TestCaseData> ReductionsAndTypes()
        => from reduction in Reductions
           from dtype in DTypes
           select new TestCaseData(reduction, dtype).SetArgDisplayNames(reduction.ToString(), dtype.Name());

    [TestCaseSource(nameof(ReductionsAndTypes))]
    public void MeanSquaredError_is_the_reduced_squared_difference_and_its_gradient_2_times_the_difference(Reduction reduction, DType dtype)
    {
        (Tensor p, Tensor t, double[] pv, double[] tv) = PredictionAndTarget([3, 4], dtype);

        Tensor loss = Losses.MeanSquaredError(p, t, reduction);

        double[] local = [.. pv.Select((v, i) => (v - tv[i]) * (v - tv[i]))];
        AssertLoss(loss, local, [3, 4], reduction, dtype);
        double[] seed = Backward(loss, reduction, dtype);
        AssertGradient(p.Grad!, [.. pv.Select((v, i) => 2 * (v - tv[i]))], seed, reduction, dtype, "∂/∂prediction");
        AssertGradient(t.Grad!, [.. pv.Select((v, i) => -2 * (v - tv[i]))], seed, reduction, dtype, "∂/∂target");
    }

    [TestCaseSource(nameof(ReductionsAndTypes))]
    public void L1_is_the_reduced_absolute_difference_and_its_gradient_the_sign_of_the_difference(Reduction reduction, DType dtype)
    {
        (Tensor p, Tensor t, double[] pv, double[] tv) = PredictionAndTarget([3, 4], dtype);

        Tensor loss = Losses.L1(p, t, reduction);

        AssertLoss(loss, [.. pv.Select((v, i) => Math.Abs(v - tv[i]))], [3, 4], reduction, dtype);
        double[] seed = Backward(loss, reduction, dtype);
        AssertGradient(p.Grad!, [.. pv.Select((v, i) => (double)Math.Sign(v - tv[i]))], seed, reduction, dtype, "∂/∂prediction");
        AssertGradient(t.Grad!, [.. pv.Select((v, i) => (double)-Math.Sign(v - tv[i]))], seed, reduction, dtype, "∂/∂target");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void L1_gradient_is_0_where_prediction_equals_target(DType dtype)
    {
        Tensor p = Tensor.Create(new[] { 1.0, 2.0, -3.0, 0.0 }).ToDType(dtype).RequireGrad();
        Tensor t = Tensor.Create(new[] { 1.0, 5.0, -3.0, -1.0 }).ToDType(dtype);

        Losses.L1(p, t).Backward();

        TestTensors.AssertClose(p.Grad!, [0, -0.25, 0, 0.25], 0);
    }

    [TestCaseSource(nameof(ReductionsAndTypes))]
    public void BinaryCrossEntropyWithLogits_matches_the_log_sigmoid_form_and_its_gradient_is_sigmoid_minus_target(Reduction reduction, DType dtype)
    {
        double[] logits = [-4.5, -2, -0.75, -0.1, 0, 0.3, 1, 2.5, 4, 5, -3, 0.6];
        double[] targets = [0, 1, 0.25, 1, 0, 0.5, 1, 0, 0.9, 1, 0.1, 0];
        Tensor x = Tensor.Create(logits, [3, 4]).ToDType(dtype).RequireGrad();
        Tensor y = Tensor.Create(targets, [3, 4]).ToDType(dtype).RequireGrad();
        double[] xv = Doubles(x), yv = Doubles(y);

        Tensor loss = Losses.BinaryCrossEntropyWithLogits(x, y, reduction);

        // −[y log σ(x) + (1 − y) log(1 − σ(x))], fine in float64 for moderate x.
        double[] local = [.. xv.Select((v, i) => -((yv[i] * Math.Log(Sigmoid(v))) + ((1 - yv[i]) * Math.Log(1 - Sigmoid(v)))))];
        AssertLoss(loss, local, [3, 4], reduction, dtype);
        double[] seed = Backward(loss, reduction, dtype);
        AssertGradient(x.Grad!, [.. xv.Select((v, i) => Sigmoid(v) - yv[i])], seed, reduction, dtype, "∂/∂logits");
        AssertGradient(y.Grad!, [.. xv.Select(v => -v)], seed, reduction, dtype, "∂/∂targets");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void BinaryCrossEntropyWithLogits_at_logit_0_is_log_2_with_gradient_one_half_minus_target_over_N(DType dtype)
    {
        Tensor x = Tensor.Zeros([4], dtype).RequireGrad();
        Tensor y = Tensor.Create(new[] { 0.0, 1.0, 0.5, 0.25 }).ToDType(dtype);

        Tensor loss = Losses.BinaryCrossEntropyWithLogits(x, y);
        loss.Backward();

        double ln2 = dtype == DType.Float32 ? (float)Math.Log(2) : Math.Log(2);
        Assert.That(loss.Item(), Is.EqualTo(ln2).Within(dtype == DType.Float32 ? 1e-7 : 1e-16));
        TestTensors.AssertClose(x.Grad!, [0.5 / 4, -0.5 / 4, 0, 0.25 / 4], 0);
    }

    [TestCaseSource(nameof(ReductionsAndTypes))]
    public void CrossEntropy_with_class_indices_is_logsumexp_minus_the_target_logit_with_gradient_softmax_minus_one_hot(Reduction reduction, DType dtype)
    {
        Tensor x = Tensor.RandomNormal([5, 4], new RandomSource(31), 0, 3, DType.Float64).ToDType(dtype).RequireGrad();
        double[] xv = Doubles(x);

        Tensor loss = Losses.CrossEntropy(x, Targets, reduction);

        double[] local = [.. Enumerable.Range(0, 5).Select(n => LogSumExp(xv, n, 4) - xv[(n * 4) + Targets[n]])];
        AssertLoss(loss, local, [5], reduction, dtype);
        double[] seed = Backward(loss, reduction, dtype);
        double[] expected = new double[20];
        for (int n = 0; n < 5; n++)
        {
            for (int c = 0; c < 4; c++)
            {
                expected[(n * 4) + c] = Math.Exp(xv[(n * 4) + c] - LogSumExp(xv, n, 4)) - (c == Targets[n] ? 1 : 0);
            }
        }

        AssertGradient(x.Grad!, expected, [.. seed.SelectMany(s => Enumerable.Repeat(s, 4))], reduction, dtype, "∂/∂logits", samples: 5);
    }

    [TestCaseSource(nameof(ReductionsAndTypes))]
    public void CrossEntropy_with_target_probabilities_is_minus_p_dot_log_softmax_with_gradient_softmax_times_sum_p_minus_p(Reduction reduction, DType dtype)
    {
        Tensor x = Tensor.RandomNormal([5, 4], new RandomSource(32), 0, 3, DType.Float64).ToDType(dtype).RequireGrad();
        // Rows summing to 1, and the last row not (a label-smoothing slip), which the general derivative covers.
        double[] probabilities =
        [
            0.1, 0.2, 0.3, 0.4,
            1, 0, 0, 0,
            0.25, 0.25, 0.25, 0.25,
            0, 0.5, 0, 0.5,
            0.5, 0.5, 0.5, 0,
        ];
        Tensor p = Tensor.Create(probabilities, [5, 4]).ToDType(dtype).RequireGrad();
        double[] xv = Doubles(x), pv = Doubles(p);

        Tensor loss = Losses.CrossEntropy(x, p, reduction);

        double[] local = [.. Enumerable.Range(0, 5).Select(n => -Enumerable.Range(0, 4).Sum(c => pv[(n * 4) + c] * (xv[(n * 4) + c] - LogSumExp(xv, n, 4))))];
        AssertLoss(loss, local, [5], reduction, dtype);
        double[] seed = Backward(loss, reduction, dtype);
        double[] expectedX = new double[20], expectedP = new double[20];
        for (int n = 0; n < 5; n++)
        {
            double sum = Enumerable.Range(0, 4).Sum(c => pv[(n * 4) + c]);
            for (int c = 0; c < 4; c++)
            {
                int k = (n * 4) + c;
                expectedX[k] = (Math.Exp(xv[k] - LogSumExp(xv, n, 4)) * sum) - pv[k];
                expectedP[k] = -(xv[k] - LogSumExp(xv, n, 4));
            }
        }

        double[] rowSeed = [.. seed.SelectMany(s => Enumerable.Repeat(s, 4))];
        AssertGradient(x.Grad!, expectedX, rowSeed, reduction, dtype, "∂/∂logits", samples: 5);
        AssertGradient(p.Grad!, expectedP, rowSeed, reduction, dtype, "∂/∂probabilities", samples: 5);
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void CrossEntropy_with_indices_equals_CrossEntropy_with_one_hot_probabilities(DType dtype)
    {
        Tensor x = Tensor.RandomNormal([5, 4], new RandomSource(33), 0, 2, dtype);
        var oneHot = new double[5, 4];
        for (int n = 0; n < 5; n++)
        {
            oneHot[n, Targets[n]] = 1;
        }

        Tensor byIndex = Losses.CrossEntropy(x, Targets, Reduction.None);
        Tensor byProbability = Losses.CrossEntropy(x, Tensor.Create(oneHot).ToDType(dtype), Reduction.None);

        Assert.That(Doubles(byIndex), Is.EqualTo(Doubles(byProbability)));
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void CrossEntropy_of_logits_1000_and_minus_1000_is_exact_and_its_gradient_finite(DType dtype)
    {
        Tensor one = Tensor.Create(new[,] { { 1000.0, -1000.0 } }).ToDType(dtype).RequireGrad();
        Tensor two = Tensor.Create(new[,] { { 1000.0, -1000.0 }, { -1000.0, 1000.0 } }).ToDType(dtype).RequireGrad();

        Tensor single = Losses.CrossEntropy(one, [1]);
        Tensor mean = Losses.CrossEntropy(two, [1, 0]);
        Tensor none = Losses.CrossEntropy(two, [1, 1], Reduction.None);
        single.Backward();
        mean.Backward();

        Assert.Multiple(() =>
        {
            Assert.That(single.Item(), Is.EqualTo(2000));
            TestTensors.AssertClose(one.Grad!, [1, -1], 0, "N = 1");
            Assert.That(mean.Item(), Is.EqualTo(2000));
            TestTensors.AssertClose(two.Grad!, [0.5, -0.5, -0.5, 0.5], 0, "N = 2, mean");
            TestTensors.AssertClose(none, [2000, 0], 0, "unreduced");
        });
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void CrossEntropy_with_soft_targets_at_logits_1000_and_minus_1000_is_exact_and_its_gradient_finite(DType dtype)
    {
        Tensor x = Tensor.Create(new[,] { { 1000.0, -1000.0 } }).ToDType(dtype).RequireGrad();
        Tensor p = Tensor.Create(new[,] { { 0.25, 0.75 } }).ToDType(dtype);

        Tensor loss = Losses.CrossEntropy(x, p, Reduction.Sum);
        loss.Backward();

        // −(0.25·0 + 0.75·(−2000)) = 1500; softmax = [1, 0], so ∂/∂x = [1 − 0.25, 0 − 0.75].
        Assert.That(loss.Item(), Is.EqualTo(1500));
        TestTensors.AssertClose(x.Grad!, [0.75, -0.75], 0);
    }

    [TestCase(DType.Float64, 1e300)]
    [TestCase(DType.Float32, 1e30)]
    public void CrossEntropy_of_huge_logits_is_finite(DType dtype, double huge)
    {
        Tensor x = Tensor.Create(new[,] { { huge, -huge, 0 } }).ToDType(dtype).RequireGrad();

        Tensor loss = Losses.CrossEntropy(x, [2]);
        loss.Backward();

        double h = Doubles(x)[0];
        Assert.That(loss.Item(), Is.EqualTo(h));
        TestTensors.AssertClose(x.Grad!, [1, 0, -1], 0);
    }

    // A logit of −∞ masks its class out: CrossEntropy([[0, −∞, 1]], [0]) is log(1 + e) with gradient
    // [−e/(1 + e), 0, e/(1 + e)], as PyTorch gives (a one-hot product would make it NaN, as −∞·0 is).
    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void CrossEntropy_with_a_masked_class_ignores_it(DType dtype)
    {
        Tensor x = Tensor.Create(new[,] { { 0, double.NegativeInfinity, 1 } }).ToDType(dtype).RequireGrad();

        Tensor loss = Losses.CrossEntropy(x, [0]);
        loss.Backward();

        Assert.That(loss.Item(), Is.EqualTo(Math.Log(1 + Math.E)).Within(1e-6));
        TestTensors.AssertClose(x.Grad!, [(1 / (1 + Math.E)) - 1, 0, Math.E / (1 + Math.E)], 1e-6);
    }

    [TestCase(DType.Float32, 1000)]
    [TestCase(DType.Float64, 1000)]
    [TestCase(DType.Float32, 1e30)]
    [TestCase(DType.Float64, 1e300)]
    public void BinaryCrossEntropyWithLogits_at_huge_logits_is_exact_and_its_gradient_finite(DType dtype, double huge)
    {
        Tensor x = Tensor.Create(new[] { huge, -huge, huge, -huge }).ToDType(dtype).RequireGrad();
        Tensor y = Tensor.Create(new[] { 0.0, 1.0, 1.0, 0.0 }).ToDType(dtype);

        Tensor loss = Losses.BinaryCrossEntropyWithLogits(x, y, Reduction.None);
        Losses.BinaryCrossEntropyWithLogits(x, y).Backward();

        double h = Doubles(x)[0];
        TestTensors.AssertClose(loss, [h, h, 0, 0], 0);
        TestTensors.AssertClose(x.Grad!, [0.25, -0.25, 0, 0], 0);
    }

    public static IEnumerable<TestCaseData> GradientChecks()
    {
        Tensor p = TestTensors.AwayFromZero([3, 4], seed: 41);
        Tensor t;
        using (Tensor.NoGrad())
        {
            t = p + TestTensors.AwayFromZero([3, 4], seed: 42); // |p − t| ≥ 0.1: away from L1's kink
        }

        Tensor logits = TestTensors.AwayFromZero([4, 3], seed: 43);
        Tensor probabilities = Tensor.RandomUniform([4, 3], new RandomSource(44), 0, 1, DType.Float64);
        Tensor binaryTargets = Tensor.RandomUniform([3, 4], new RandomSource(45), 0, 1, DType.Float64);
        foreach (Reduction r in Reductions)
        {
            yield return Check($"MeanSquaredError {r}", x => Losses.MeanSquaredError(x[0], x[1], r), p, t);
            yield return Check($"L1 {r}", x => Losses.L1(x[0], x[1], r), p, t);
            yield return Check($"BinaryCrossEntropyWithLogits {r}", x => Losses.BinaryCrossEntropyWithLogits(x[0], x[1], r), p, binaryTargets);
            yield return Check($"CrossEntropy with indices {r}", x => Losses.CrossEntropy(x[0], [2, 0, 1, 1], r), logits);
            yield return Check($"CrossEntropy with probabilities {r}", x => Losses.CrossEntropy(x[0], x[1], r), logits, probabilities);
        }
    }

    [TestCaseSource(nameof(GradientChecks))]
    public void Gradients_match_central_differences(Func<Tensor[], Tensor> function, Tensor[] inputs)
    {
        GradientCheckResult result = GradientCheck.Run(function, inputs);

        Assert.That(result.InputIndex, Is.GreaterThanOrEqualTo(0), "the function has derivatives to compare");
        Assert.That(result.MaxError, Is.LessThan(1e-6), result.ToString());
    }

    public static IEnumerable<TestCaseData> MismatchedShapes()
    {
        (string Loss, Func<Tensor, Tensor, Tensor> Apply)[] losses =
        [
            ("MeanSquaredError", (a, b) => Losses.MeanSquaredError(a, b)),
            ("L1", (a, b) => Losses.L1(a, b)),
            ("BinaryCrossEntropyWithLogits", (a, b) => Losses.BinaryCrossEntropyWithLogits(a, b)),
            ("CrossEntropy", (a, b) => Losses.CrossEntropy(a, b)),
        ];
        (int[] Left, int[] Right)[] shapes = [([2, 3], [3, 2]), ([4, 1], [4]), ([2, 3], [2, 4]), ([2, 3], [1, 3])];
        return from loss in losses
               from s in shapes
               select new TestCaseData(loss.Loss, loss.Apply, s.Left, s.Right)
                   .SetArgDisplayNames(loss.Loss, Shapes.Format(s.Left), Shapes.Format(s.Right));
    }

    [TestCaseSource(nameof(MismatchedShapes))]
    public void Shapes_that_differ_are_rejected_naming_the_loss_and_both_shapes_and_nothing_is_recorded(string loss, Func<Tensor, Tensor, Tensor> apply, int[] left, int[] right)
    {
        Tensor prediction = Tensor.Ones(left).RequireGrad();
        Tensor target = Tensor.Ones(right);

        Assert.That(
            () => apply(prediction, target),
            Throws.ArgumentException.With.Message.Contains(loss).And.Message.Contains(Shapes.Format(left)).And.Message.Contains(Shapes.Format(right)));
        Assert.That(prediction.Grad, Is.Null);
    }

    [TestCase(new[] { 3 }, 3)]
    [TestCase(new[] { 2, 3, 4 }, 2)]
    [TestCase(new int[0], 1)]
    public void CrossEntropy_rejects_logits_that_are_not_a_matrix_naming_their_shape(int[] shape, int count)
    {
        Tensor logits = Tensor.Ones(shape).RequireGrad();
        int[] targets = new int[count];

        Assert.Multiple(() =>
        {
            Assert.That(
                () => Losses.CrossEntropy(logits, targets),
                Throws.ArgumentException.With.Message.Contains("CrossEntropy").And.Message.Contains(Shapes.Format(shape)));
            Assert.That(
                () => Losses.CrossEntropy(logits, Tensor.Ones(shape)),
                Throws.ArgumentException.With.Message.Contains("CrossEntropy").And.Message.Contains(Shapes.Format(shape)));
        });
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(0)]
    public void CrossEntropy_rejects_a_target_count_other_than_N_naming_the_shape_and_the_count(int count)
    {
        Tensor logits = Tensor.Ones([2, 3]).RequireGrad();

        Assert.That(
            () => Losses.CrossEntropy(logits, new int[count]),
            Throws.ArgumentException.With.Message.Contains("CrossEntropy").And.Message.Contains("[2, 3]").And.Message.Contains($"{count} targets"));
        Assert.That(logits.Grad, Is.Null);
    }

    [TestCase(-1)]
    [TestCase(3)]
    [TestCase(int.MinValue)]
    [TestCase(int.MaxValue)]
    public void CrossEntropy_rejects_a_class_outside_0_to_C_naming_it_and_the_shape(int target)
    {
        Tensor logits = Tensor.Ones([2, 3]).RequireGrad();

        Assert.That(
            () => Losses.CrossEntropy(logits, [0, target]),
            Throws.InstanceOf<ArgumentOutOfRangeException>()
                .With.Message.Contains("CrossEntropy").And.Message.Contains("[2, 3]").And.Message.Contains($"class {target}").And.Message.Contains("[0, 3)"));
    }

    [Test]
    public void Mixed_element_types_are_rejected_naming_both()
    {
        Tensor a = Tensor.Ones([2, 3]);
        Tensor b = Tensor.Ones([2, 3], DType.Float64);

        Assert.Multiple(() =>
        {
            Assert.That(() => Losses.MeanSquaredError(a, b), Throws.ArgumentException.With.Message.Contains("float32").And.Message.Contains("float64").And.Message.Contains("MeanSquaredError"));
            Assert.That(() => Losses.L1(a, b), Throws.ArgumentException.With.Message.Contains("float32").And.Message.Contains("float64").And.Message.Contains("L1"));
            Assert.That(() => Losses.BinaryCrossEntropyWithLogits(a, b), Throws.ArgumentException.With.Message.Contains("float32").And.Message.Contains("float64").And.Message.Contains("BinaryCrossEntropyWithLogits"));
            Assert.That(() => Losses.CrossEntropy(a, b), Throws.ArgumentException.With.Message.Contains("float32").And.Message.Contains("float64").And.Message.Contains("CrossEntropy"));
        });
    }

    [Test]
    public void Null_arguments_and_unknown_reductions_are_rejected()
    {
        Tensor a = Tensor.Ones([2, 3]);

        Assert.Multiple(() =>
        {
            Assert.That(() => Losses.MeanSquaredError(null!, a), Throws.ArgumentNullException);
            Assert.That(() => Losses.L1(a, null!), Throws.ArgumentNullException);
            Assert.That(() => Losses.BinaryCrossEntropyWithLogits(a, null!), Throws.ArgumentNullException);
            Assert.That(() => Losses.CrossEntropy(null!, [0, 1]), Throws.ArgumentNullException);
            Assert.That(() => Losses.CrossEntropy(a, (Tensor)null!), Throws.ArgumentNullException);
            Assert.That(() => Losses.MeanSquaredError(a, a, (Reduction)7), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Losses.CrossEntropy(a, [0, 1], (Reduction)(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void An_empty_batch_sums_to_0_and_leaves_no_unreduced_losses()
    {
        Tensor logits = Tensor.Zeros([0, 3], DType.Float64);

        Assert.That(Losses.CrossEntropy(logits, ReadOnlySpan<int>.Empty, Reduction.Sum).Item(), Is.Zero);
        Assert.That(Losses.CrossEntropy(logits, ReadOnlySpan<int>.Empty, Reduction.None).Shape.ToArray(), Is.EqualTo(new[] { 0 }));
        Assert.That(Losses.MeanSquaredError(logits, logits, Reduction.Sum).Item(), Is.Zero);
    }

    private static TestCaseData Check(string name, Func<Tensor[], Tensor> function, params Tensor[] inputs)
        => new TestCaseData(function, inputs).SetName($"Loss gradient check: {name}");

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>m + log Σ exp(x − m) over row <paramref name="n"/>, m the row's maximum.</summary>
    private static double LogSumExp(double[] x, int n, int classes)
    {
        double m = double.NegativeInfinity;
        for (int c = 0; c < classes; c++)
        {
            m = Math.Max(m, x[(n * classes) + c]);
        }

        double sum = 0;
        for (int c = 0; c < classes; c++)
        {
            sum += Math.Exp(x[(n * classes) + c] - m);
        }

        return m + Math.Log(sum);
    }

    private static double[] Doubles(Tensor t) => t.ToDType(DType.Float64).ToArray<double>();

    private static double Tolerance(DType dtype) => dtype == DType.Float32 ? 2e-6 : 1e-14;

    /// <summary>A prediction and a target of <paramref name="shape"/> whose differences are at least 0.1 from 0, both requiring gradients.</summary>
    private static (Tensor P, Tensor T, double[] PValues, double[] TValues) PredictionAndTarget(int[] shape, DType dtype)
    {
        Tensor p = TestTensors.AwayFromZero(shape, seed: 11).ToDType(dtype);
        Tensor t = (p.ToDType(DType.Float64) + TestTensors.AwayFromZero(shape, seed: 12)).ToDType(dtype);
        return (p.RequireGrad(), t.RequireGrad(), Doubles(p), Doubles(t));
    }

    /// <summary>The loss has the reduced shape and value: the mean or sum of <paramref name="local"/>, or <paramref name="local"/> itself.</summary>
    private static void AssertLoss(Tensor loss, double[] local, int[] unreducedShape, Reduction reduction, DType dtype)
    {
        Assert.That(loss.DType, Is.EqualTo(dtype));
        double scale = Math.Max(1, local.Max(Math.Abs));
        switch (reduction)
        {
            case Reduction.Mean:
                Assert.That(loss.Rank, Is.Zero);
                Assert.That(loss.Item(), Is.EqualTo(local.Average()).Within(Tolerance(dtype) * scale));
                break;
            case Reduction.Sum:
                Assert.That(loss.Rank, Is.Zero);
                Assert.That(loss.Item(), Is.EqualTo(local.Sum()).Within(Tolerance(dtype) * scale * local.Length));
                break;
            default:
                Assert.That(loss.Shape.ToArray(), Is.EqualTo(unreducedShape));
                TestTensors.AssertClose(loss, local, Tolerance(dtype) * scale, "unreduced loss");
                break;
        }
    }

    /// <summary>Runs Backward: seeded with distinct weights per loss for <see cref="Reduction.None"/>. Returns the seed per loss (1 otherwise).</summary>
    private static double[] Backward(Tensor loss, Reduction reduction, DType dtype)
    {
        if (reduction != Reduction.None)
        {
            loss.Backward();
            return [.. Enumerable.Repeat(1.0, 64)];
        }

        double[] seed = [.. Enumerable.Range(0, loss.ElementCount).Select(i => 0.5 + (0.25 * i))];
        loss.Backward(Tensor.Create(seed, loss.Shape).ToDType(dtype));
        return seed;
    }

    /// <summary>
    /// The gradient is <paramref name="local"/> (the derivative of each element's or sample's loss) times the seed,
    /// divided by the number of elements (or <paramref name="samples"/>) for the mean.
    /// </summary>
    private static void AssertGradient(Tensor grad, double[] local, double[] seed, Reduction reduction, DType dtype, string what, int samples = 0)
    {
        double n = reduction == Reduction.Mean ? (samples > 0 ? samples : local.Length) : 1;
        double[] expected = [.. local.Select((g, i) => g * seed[i] / n)];
        TestTensors.AssertClose(grad, expected, Tolerance(dtype) * Math.Max(1, expected.Max(Math.Abs)) * 4, what);
    }
}
