using AutoGrad.NN;
using AutoGrad.Optimizers;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.NN;

/// <summary>End to end: an <see cref="Mlp"/> trained with <see cref="Adam"/> and <see cref="Losses.CrossEntropy(Tensor, ReadOnlySpan{int}, Reduction)"/>.</summary>
public sealed class TrainingTests
{
    // XOR of the quadrants, three points each: not linearly separable, so the hidden layer must learn.
    private static readonly double[,] Points =
    {
        { 1.0, 1.2 }, { 0.7, 0.4 }, { 1.5, 0.9 },
        { -1.1, -0.8 }, { -0.5, -1.3 }, { -1.4, -0.3 },
        { -1.0, 1.1 }, { -0.6, 0.5 }, { -1.3, 1.4 },
        { 0.9, -1.2 }, { 0.4, -0.7 }, { 1.2, -0.3 },
    };

    private static readonly int[] Labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];

    [Test]
    public void A_small_mlp_learns_xor_of_the_quadrants_to_full_training_accuracy()
    {
        var model = new Mlp([2, 8, 2], new RandomSource(2024));
        var adam = new Adam(model.Parameters(), learningRate: 0.05);
        Tensor x = Tensor.Create(Points).ToDType(DType.Float32);
        int firstPerfectStep = -1;
        double firstLoss = double.NaN;

        Assert.That(Accuracy(model, x), Is.LessThan(1), "the untrained model does not already separate the data");
        for (int step = 1; step <= 300; step++)
        {
            adam.ZeroGrad();
            Tensor loss = Losses.CrossEntropy(model.Forward(x), Labels);
            loss.Backward();
            adam.Step();
            firstLoss = step == 1 ? loss.Item() : firstLoss;
            if (firstPerfectStep < 0 && Accuracy(model, x) == 1)
            {
                firstPerfectStep = step;
            }
        }

        double finalLoss = Losses.CrossEntropy(model.Forward(x), Labels).Item();
        TestContext.Out.WriteLine($"full training accuracy from step {firstPerfectStep}; loss {firstLoss} → {finalLoss}");
        Assert.That(firstPerfectStep, Is.InRange(1, 300), "full training accuracy is reached");
        Assert.That(Accuracy(model, x), Is.EqualTo(1.0), "and kept");
        Assert.That(finalLoss, Is.LessThan(0.05), $"the loss keeps falling (from {firstLoss})");
        Assert.That(adam.StepCount, Is.EqualTo(300));
    }

    [Test]
    public void Training_twice_from_the_same_seed_gives_bit_identical_parameters()
    {
        Tensor[] first = Train(seed: 7, steps: 100);
        Tensor[] second = Train(seed: 7, steps: 100);
        Tensor[] other = Train(seed: 8, steps: 100);

        Assert.That(first, Has.Length.EqualTo(4));
        for (int i = 0; i < first.Length; i++)
        {
            Assert.That(TestTensors.Bits(first[i]), Is.EqualTo(TestTensors.Bits(second[i])), $"parameter {i}");
            Assert.That(TestTensors.Bits(first[i]), Is.Not.EqualTo(TestTensors.Bits(other[i])), $"parameter {i} from another seed");
        }
    }

    private static Tensor[] Train(int seed, int steps)
    {
        var model = new Mlp([2, 8, 2], new RandomSource(seed));
        var adam = new AdamW(model.Parameters(), learningRate: 0.05);
        Tensor x = Tensor.Create(Points).ToDType(DType.Float32);
        for (int step = 0; step < steps; step++)
        {
            adam.ZeroGrad();
            Losses.CrossEntropy(model.Forward(x), Labels).Backward();
            adam.Step();
        }

        return [.. model.Parameters()];
    }

    /// <summary>The fraction of points whose larger logit is their label's.</summary>
    private static double Accuracy(Module model, Tensor x)
    {
        using (Tensor.NoGrad())
        {
            Tensor logits = model.Forward(x);
            int correct = 0;
            for (int n = 0; n < Labels.Length; n++)
            {
                int predicted = logits[n, 1] > logits[n, 0] ? 1 : 0;
                correct += predicted == Labels[n] ? 1 : 0;
            }

            return (double)correct / Labels.Length;
        }
    }
}
