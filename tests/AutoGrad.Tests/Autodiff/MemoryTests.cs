using AutoGrad.Optimizers;

namespace AutoGrad.Tests.Autodiff;

/// <summary>
/// Tapes belong to the tensors they produce, so a loop whose step results are dropped keeps memory flat,
/// whether it trains (Backward releases the graph) or only evaluates (the unreachable graph is collected).
/// </summary>
public sealed class MemoryTests
{
    private const int Steps = 10_000;
    private const int WarmUpSteps = 500;
    private const long AllowedGrowthBytes = 256 * 1024;

    [Test]
    public void Ten_thousand_training_steps_keep_memory_flat()
    {
        var model = new TinyModel();
        var sgd = new Sgd(model.Parameters, learningRate: 0.01);

        (long before, long after) = MeasureHeap(() =>
        {
            Tensor loss = Tensor.MseLoss(model.Forward(), model.Target);
            loss.Backward();
            sgd.Step();
            sgd.ZeroGrad();
        });

        Report("training", before, after);
        Assert.That(after - before, Is.LessThan(AllowedGrowthBytes));
    }

    [Test]
    public void Ten_thousand_evaluation_steps_with_parameters_requiring_gradients_keep_memory_flat()
    {
        var model = new TinyModel();
        double total = 0;

        (long before, long after) = MeasureHeap(() => total += Tensor.MseLoss(model.Forward(), model.Target).Item());

        Report("evaluation", before, after);
        Assert.That(double.IsFinite(total), Is.True);
        Assert.That(after - before, Is.LessThan(AllowedGrowthBytes));
    }

    [Test]
    public void A_long_lived_tensor_computed_from_parameters_does_not_keep_the_steps_that_use_it()
    {
        // A tied or precomputed weight kept across steps must not hold every later step: records are reachable only
        // from the results that need them, never from their inputs.
        var random = new RandomSource(4);
        Tensor w = Tensor.RandomNormal([8, 8], random).RequireGrad();
        Tensor tied = w * 0.5;
        Tensor input = Tensor.RandomNormal([16, 8], random);

        (long before, long after) = MeasureHeap(() => input.MatMul(tied).Relu().Sum().Backward(retainGraph: true));

        Report("steps through a long-lived tensor", before, after);
        // A leak of the steps themselves would be tens of megabytes.
        Assert.That(after - before, Is.LessThan(AllowedGrowthBytes));
    }

    [Test]
    public void Keeping_every_steps_output_keeps_its_graph_and_the_measurement_sees_it()
    {
        // The control: the same measurement must see a leak when there is one.
        var model = new TinyModel();
        var kept = new List<Tensor>();

        (long before, long after) = MeasureHeap(() => kept.Add(Tensor.MseLoss(model.Forward(), model.Target)));

        Report("evaluation keeping outputs", before, after);
        Assert.That(after - before, Is.GreaterThan(10 * AllowedGrowthBytes));
    }

    private static (long Before, long After) MeasureHeap(Action step)
    {
        for (int i = 0; i < WarmUpSteps; i++)
        {
            step();
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < Steps; i++)
        {
            step();
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        return (before, after);
    }

    private static void Report(string loop, long before, long after)
        => TestContext.Out.WriteLine($"{loop}: live heap {before:N0} B after warm-up, {after:N0} B after {Steps:N0} more steps ({after - before:+#,0;-#,0;0} B)");

    private sealed class TinyModel
    {
        private readonly Tensor _input;
        private readonly Tensor _w1, _b1, _w2, _b2;

        public TinyModel()
        {
            var random = new RandomSource(3);
            _input = Tensor.RandomNormal([32, 8], random);
            Target = Tensor.RandomNormal([32, 1], random);
            _w1 = Tensor.RandomNormal([16, 8], random, standardDeviation: 0.3).RequireGrad();
            _b1 = Tensor.Zeros([16]).RequireGrad();
            _w2 = Tensor.RandomNormal([1, 16], random, standardDeviation: 0.3).RequireGrad();
            _b2 = Tensor.Zeros([1]).RequireGrad();
        }

        public Tensor Target { get; }

        public Tensor[] Parameters => [_w1, _b1, _w2, _b2];

        public Tensor Forward() => _input.Affine(_w1, _b1).Relu().Affine(_w2, _b2);
    }
}
