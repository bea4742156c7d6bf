using AutoGrad.NN;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// The fused <see cref="Tensor.CrossEntropyLoss"/> against its composition (log-softmax, gather, mean) and the closed
/// form of its gradient, <c>(softmax(x) − onehot(t))/N</c>.
/// </summary>
public sealed class CrossEntropyLossTests
{
    private static readonly int[] Targets = [2, 0, 1, 2];

    private static Tensor Logits(DType dtype) => Tensor.Create(
        new double[,] { { 0.5, -1.0, 2.0 }, { 3.0, 0.25, -0.75 }, { -2.0, 1.5, 0.0 }, { 1.0, 1.0, 1.0 } }).ToDType(dtype).RequireGrad();

    [TestCase(DType.Float32, 1e-6)]
    [TestCase(DType.Float64, 1e-15)]
    public void Its_value_and_gradient_match_the_composition(DType dtype, double tolerance)
    {
        Tensor fusedLogits = Logits(dtype), composedLogits = Logits(dtype);
        Tensor fused = Tensor.CrossEntropyLoss(fusedLogits, Targets);
        Tensor composed = -composedLogits.LogSoftmax(1).TakeAlongLastAxis(Targets).Mean();
        fused.Backward();
        composed.Backward();

        Assert.That(fused.Item(), Is.EqualTo(composed.Item()).Within(tolerance));
        Assert.That(Doubles(fusedLogits.Grad!), Is.EqualTo(Doubles(composedLogits.Grad!)).Within(tolerance).AsCollection);
    }

    private static double[] Doubles(Tensor t) => t.ToDType(DType.Float64).ToArray<double>();

    [Test]
    public void Its_gradient_is_softmax_minus_one_hot_over_N()
    {
        Tensor x = Logits(DType.Float64);
        Tensor.CrossEntropyLoss(x, Targets).Backward();

        double[] logits = x.ToArray<double>(), gradient = x.Grad!.ToArray<double>();
        for (int n = 0; n < 4; n++)
        {
            double[] row = logits[(3 * n)..(3 * n + 3)];
            double normalizer = row.Sum(Math.Exp);
            for (int j = 0; j < 3; j++)
            {
                double expected = ((Math.Exp(row[j]) / normalizer) - (j == Targets[n] ? 1 : 0)) / 4;
                Assert.That(gradient[(3 * n) + j], Is.EqualTo(expected).Within(1e-15), $"sample {n}, class {j}");
            }
        }
    }

    [Test]
    public void Losses_CrossEntropy_with_the_mean_is_this_op()
    {
        Tensor x = Logits(DType.Float64);

        Assert.That(Losses.CrossEntropy(x, Targets).Item(), Is.EqualTo(Tensor.CrossEntropyLoss(x, Targets).Item()));
    }

    [Test]
    public void No_samples_give_NaN_as_in_PyTorch()
    {
        Tensor x = Tensor.Zeros([0, 3]).RequireGrad();
        Tensor loss = Tensor.CrossEntropyLoss(x, []);
        loss.Backward();

        Assert.That(loss.Item(), Is.NaN);
        Assert.That(x.Grad!.ElementCount, Is.Zero);
    }

    [Test]
    public void Mismatched_targets_are_rejected_naming_the_op_and_the_shape()
    {
        Tensor x = Tensor.Zeros([2, 3]);

        Assert.That(() => Tensor.CrossEntropyLoss(x, [0]), Throws.ArgumentException.With.Message.Contains("CrossEntropyLoss").And.Message.Contains("[2, 3]"));
        Assert.That(() => Tensor.CrossEntropyLoss(Tensor.Zeros([3]), [0, 1, 2]), Throws.ArgumentException.With.Message.Contains("[N, C]"));
        Assert.That(() => Tensor.CrossEntropyLoss(x, [0, 3]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("target 1 is class 3"));
        Assert.That(() => Tensor.CrossEntropyLoss(null!, [0]), Throws.ArgumentNullException);
    }
}
