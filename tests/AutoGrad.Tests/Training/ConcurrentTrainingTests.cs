using AutoGrad.NN;
using AutoGrad.Optimizers;

namespace AutoGrad.Tests.Training;

/// <summary>
/// Recording, scopes and buffer pools are per thread: two models trained at the same time on two threads end bit for
/// bit where they end when trained one after the other, and a model trained with kernels split across one, two or
/// three threads ends in the same bits.
/// </summary>
[NonParallelizable] // Parallelism.MaxDegreeOfParallelism is process-wide
public sealed class ConcurrentTrainingTests
{
    private const int Steps = 12;

    private int _savedDegree;

    [SetUp]
    public void SaveDegree() => _savedDegree = Parallelism.MaxDegreeOfParallelism;

    [TearDown]
    public void RestoreDegree() => Parallelism.MaxDegreeOfParallelism = _savedDegree;

    [Test]
    public void Two_models_trained_at_once_on_two_threads_match_training_them_one_after_the_other()
    {
        float[][] firstAlone = Train(seed: 1, useAdam: true);
        float[][] secondAlone = Train(seed: 2, useAdam: false);

        float[][]? first = null, second = null;
        using var start = new Barrier(2);
        var threads = new[]
        {
            new Thread(() => { start.SignalAndWait(); first = Train(seed: 1, useAdam: true); }),
            new Thread(() => { start.SignalAndWait(); second = Train(seed: 2, useAdam: false); }),
        };
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.That(first, Is.EqualTo(firstAlone), "the first model, trained beside the second");
        Assert.That(second, Is.EqualTo(secondAlone), "the second model, trained beside the first");
        Assert.That(firstAlone, Is.Not.EqualTo(secondAlone), "the control: the two runs differ");
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Training_with_kernels_split_across_threads_gives_the_same_bits_as_on_one(int threads)
    {
        Parallelism.MaxDegreeOfParallelism = 1;
        float[][] oneThread = Train(seed: 3, useAdam: true);

        Parallelism.MaxDegreeOfParallelism = threads;
        float[][] split = Train(seed: 3, useAdam: true);

        Assert.That(split, Is.EqualTo(oneThread));
    }

    /// <summary>
    /// A few steps of an MLP 784-128-10 on a seeded batch of 64, large enough that matrix products split across threads,
    /// each step in its own scope; returns the parameters.
    /// </summary>
    private static float[][] Train(int seed, bool useAdam)
    {
        var random = new RandomSource(seed);
        var model = new Mlp([784, 128, 10], random);
        Optimizer optimizer = useAdam ? new Adam(model.Parameters(), learningRate: 1e-3) : new Sgd(model.Parameters(), learningRate: 0.05, momentum: 0.9);
        Tensor images = Tensor.RandomUniform([64, 784], random);
        int[] labels = [.. Enumerable.Range(0, 64).Select(i => (i * 7) % 10)];
        for (int step = 0; step < Steps; step++)
        {
            using TensorScope scope = Tensor.Scope();
            Tensor loss = Losses.CrossEntropy(model.Forward(images), labels);
            loss.Backward();
            optimizer.Step();
            optimizer.ZeroGrad();
        }

        return [.. model.Parameters().Select(p => p.ToArray<float>())];
    }
}
