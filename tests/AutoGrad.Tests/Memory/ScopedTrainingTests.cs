using AutoGrad.NN;
using AutoGrad.Optimizers;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Memory;

/// <summary>
/// Training loops with one <see cref="TensorScope"/> per step, against the same loops without scopes: pooled buffers
/// (which come back holding a previous step's values) must not change a single bit of the losses or the parameters,
/// optimizer state created during a scoped step must outlive it, and once warm a step must allocate no tensor memory,
/// every buffer it rents going back by its end.
/// </summary>
public sealed class ScopedTrainingTests
{
    private const int Steps = 8;

    private static readonly int[] Labels = [0, 2, 1, 1, 0, 2, 2, 1];

    private static readonly TrainingSetup[] Cases =
    [
        new("Sgd with momentum, cross-entropy, float32", DType.Float32, CrossEntropy: true, p => new Sgd(p, learningRate: 0.1, momentum: 0.9), SetToNone: false),
        new("Adam, cross-entropy, float32, gradients set to none", DType.Float32, CrossEntropy: true, p => new Adam(p, learningRate: 0.01), SetToNone: true),
        new("Nesterov Sgd with weight decay, mean squared error, float64", DType.Float64, CrossEntropy: false, p => new Sgd(p, learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01), SetToNone: false),
        new("Adam with weight decay, mean squared error, float64", DType.Float64, CrossEntropy: false, p => new Adam(p, learningRate: 0.01, weightDecay: 0.1), SetToNone: false),
        new("AdamW, mean squared error, float32, gradients set to none", DType.Float32, CrossEntropy: false, p => new AdamW(p, learningRate: 0.01), SetToNone: true),
    ];

    public static IEnumerable<TestCaseData> AllCases() => Cases.Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(AllCases))]
    public void Training_in_a_scope_per_step_gives_the_same_losses_and_parameters_bit_for_bit_as_without(TrainingSetup setup)
    {
        Result unscoped = Train(setup, inScope: _ => false);
        Result scoped = Train(setup, inScope: _ => true);

        Assert.That(scoped.LossBits, Is.EqualTo(unscoped.LossBits));
        AssertSameParameters(scoped, unscoped);
    }

    [TestCaseSource(nameof(AllCases))]
    public void An_optimizer_whose_first_step_ran_in_a_scope_keeps_its_state_after_it(TrainingSetup setup)
    {
        // Only the first step (where the optimizer makes its state) runs in a scope; the later steps, outside any,
        // rent buffers of the parameters' lengths, which would include the state's had the scope returned it.
        Result unscoped = Train(setup, inScope: _ => false);
        Result firstInScope = Train(setup, inScope: step => step == 0);

        Assert.That(firstInScope.LossBits, Is.EqualTo(unscoped.LossBits));
        AssertSameParameters(firstInScope, unscoped);
    }

    [TestCaseSource(nameof(AllCases))]
    public void Once_warm_a_scoped_training_step_allocates_no_tensor_memory_and_returns_all_it_rents(TrainingSetup setup)
    {
        var run = new Run(setup);
        for (int step = 0; step < 2; step++)
        {
            run.ScopedStep();
        }

        TensorPoolStatistics before = TensorPool.Statistics;
        for (int step = 0; step < 5; step++)
        {
            run.ScopedStep();
        }

        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.That(after.Allocated, Is.EqualTo(before.Allocated));
        Assert.That(after.AllocatedBytes, Is.EqualTo(before.AllocatedBytes));
        Assert.That(after.Rented - before.Rented, Is.GreaterThanOrEqualTo(5 * 5), "the steps do rent their tensors from the pool");
        Assert.That(after.Returned - before.Returned, Is.EqualTo(after.Rented - before.Rented));
    }

    [Test]
    public void A_scoped_training_step_leaves_the_parameters_gradients_and_optimizer_state_alive()
    {
        var run = new Run(Cases[0]);

        run.ScopedStep();
        run.ScopedStep();

        foreach (Tensor p in run.Model.Parameters())
        {
            Assert.That(p.IsDisposed, Is.False);
            Assert.That(p.Grad, Is.Not.Null);
            Assert.That(p.Grad!.IsDisposed, Is.False);
        }

        Assert.That(run.Optimizer.StepCount, Is.EqualTo(2));
    }

    private static Result Train(TrainingSetup setup, Func<int, bool> inScope)
    {
        var run = new Run(setup);
        var losses = new List<long>();
        for (int step = 0; step < Steps; step++)
        {
            if (inScope(step))
            {
                losses.Add(run.ScopedStep());
            }
            else
            {
                losses.Add(run.Step());
            }
        }

        return new Result([.. losses], [.. run.Model.Parameters().Select(TestTensors.Bits)]);
    }

    private static void AssertSameParameters(Result actual, Result expected)
    {
        Assert.That(actual.ParameterBits, Has.Length.EqualTo(expected.ParameterBits.Length));
        for (int i = 0; i < expected.ParameterBits.Length; i++)
        {
            Assert.That(actual.ParameterBits[i], Is.EqualTo(expected.ParameterBits[i]), $"parameter {i}");
        }
    }

    /// <summary>A training setup: the element type, the loss, the optimizer, and how gradients are cleared between steps.</summary>
    public sealed record TrainingSetup(string Name, DType DType, bool CrossEntropy, Func<IEnumerable<Tensor>, Optimizer> MakeOptimizer, bool SetToNone);

    /// <summary>The bit patterns of the loss at each step and of each parameter at the end.</summary>
    private sealed record Result(long[] LossBits, long[][] ParameterBits);

    /// <summary>A seeded model, its data and its optimizer: the same every time for the same <see cref="TrainingSetup"/>.</summary>
    private sealed class Run
    {
        private readonly TrainingSetup _setup;
        private readonly Tensor _input;
        private readonly Tensor _target;

        public Run(TrainingSetup setup)
        {
            _setup = setup;
            var random = new RandomSource(42);
            Model = new Mlp([6, 16, 3], random, dtype: setup.DType);
            _input = Tensor.RandomNormal([8, 6], random, dtype: setup.DType);
            _target = Tensor.RandomNormal([8, 3], random, dtype: setup.DType);
            Optimizer = setup.MakeOptimizer(Model.Parameters());
        }

        public Mlp Model { get; }

        public Optimizer Optimizer { get; }

        /// <summary>One step in a scope of its own; returns the loss's bits.</summary>
        public long ScopedStep()
        {
            using TensorScope scope = Tensor.Scope();
            return Step();
        }

        /// <summary>One step: clear the gradients, compute the loss, Backward, update; returns the loss's bits.</summary>
        public long Step()
        {
            Optimizer.ZeroGrad(_setup.SetToNone);
            Tensor output = Model.Forward(_input);
            Tensor loss = _setup.CrossEntropy ? Losses.CrossEntropy(output, Labels) : Tensor.MseLoss(output, _target);
            loss.Backward();
            Optimizer.Step();
            return BitConverter.DoubleToInt64Bits(loss.Item());
        }
    }
}
