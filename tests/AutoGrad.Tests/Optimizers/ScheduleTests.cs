using AutoGrad.Optimizers;

namespace AutoGrad.Tests.Optimizers;

/// <summary>
/// <see cref="StepSchedule"/> and <see cref="CosineAnnealingSchedule"/> set the optimizer's learning rate after each
/// <see cref="LearningRateSchedule.Step"/> to their closed forms, here checked against values written out by hand
/// (powers of γ, and cosines of multiples of π/10 in radicals).
/// </summary>
public sealed class ScheduleTests
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    [Test]
    public void StepSchedule_multiplies_the_rate_by_gamma_every_step_size_epochs()
    {
        // η₀ = 0.2, step size 3, γ = 0.5: 0.2 for epochs 0–2, 0.1 for 3–5, 0.05 for 6–8, 0.025 for 9–11.
        double[] expected = [0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125];
        Sgd sgd = NewSgd(0.2);
        var schedule = new StepSchedule(sgd, stepSize: 3, gamma: 0.5);

        Assert.That(schedule.LearningRateAt(0), Is.EqualTo(0.2));
        for (int epoch = 1; epoch < expected.Length; epoch++)
        {
            schedule.Step();

            Assert.That(schedule.Epoch, Is.EqualTo(epoch));
            Assert.That(sgd.LearningRate, Is.EqualTo(expected[epoch]).Within(1e-16), $"epoch {epoch}");
            Assert.That(schedule.LearningRateAt(epoch), Is.EqualTo(expected[epoch]).Within(1e-16), $"closed form at epoch {epoch}");
        }
    }

    [Test]
    public void StepSchedule_with_step_size_one_and_the_default_gamma_divides_by_ten_each_epoch()
    {
        Sgd sgd = NewSgd(1);
        var schedule = new StepSchedule(sgd, stepSize: 1);
        double[] expected = [1, 0.1, 0.01, 0.001, 1e-4];

        Assert.That(schedule.Gamma, Is.EqualTo(0.1));
        for (int epoch = 1; epoch < expected.Length; epoch++)
        {
            schedule.Step();
            Assert.That(sgd.LearningRate, Is.EqualTo(expected[epoch]).Within(1e-15 * expected[epoch]), $"epoch {epoch}");
        }
    }

    [Test]
    public void StepSchedule_with_gamma_zero_stops_learning_after_the_first_step_size()
    {
        Sgd sgd = NewSgd(0.3);
        var schedule = new StepSchedule(sgd, stepSize: 2, gamma: 0);

        schedule.Step();
        Assert.That(sgd.LearningRate, Is.EqualTo(0.3));
        schedule.Step();
        Assert.That(sgd.LearningRate, Is.Zero);
    }

    [Test]
    public void CosineAnnealingSchedule_follows_half_a_cosine_from_the_base_rate_to_the_minimum_and_back()
    {
        // η(e) = η_min + (η₀ − η_min)(1 + cos(πe/10))/2 with η₀ = 0.1, η_min = 0.001, and the cosines of kπ/10 in radicals.
        const double Base = 0.1, Minimum = 0.001;
        double cos1 = Math.Sqrt(10 + (2 * Sqrt5)) / 4; // cos(π/10)
        double cos2 = (1 + Sqrt5) / 4;                 // cos(2π/10)
        double cos3 = Math.Sqrt(10 - (2 * Sqrt5)) / 4; // cos(3π/10)
        double cos4 = (Sqrt5 - 1) / 4;                 // cos(4π/10)
        double[] cosines = [1, cos1, cos2, cos3, cos4, 0, -cos4, -cos3, -cos2, -cos1, -1, -cos1, -cos2, -cos3, -cos4, 0, cos4, cos3, cos2, cos1, 1];
        Sgd sgd = NewSgd(Base);
        var schedule = new CosineAnnealingSchedule(sgd, maxSteps: 10, minimumLearningRate: Minimum);

        Assert.That(schedule.LearningRateAt(0), Is.EqualTo(Base).Within(1e-17));
        for (int epoch = 1; epoch < cosines.Length; epoch++)
        {
            schedule.Step();

            double expected = Minimum + ((Base - Minimum) * (1 + cosines[epoch]) / 2);
            Assert.That(sgd.LearningRate, Is.EqualTo(expected).Within(1e-16), $"epoch {epoch}");
        }
    }

    [Test]
    public void CosineAnnealingSchedule_reaches_exactly_its_landmarks()
    {
        Sgd sgd = NewSgd(0.5);
        var schedule = new CosineAnnealingSchedule(sgd, maxSteps: 4);

        Assert.That(schedule.MinimumLearningRate, Is.Zero);
        Assert.That(schedule.LearningRateAt(2), Is.EqualTo(0.25).Within(1e-16), "half way");
        Assert.That(schedule.LearningRateAt(4), Is.EqualTo(0).Within(1e-16), "T");
        Assert.That(schedule.LearningRateAt(1), Is.EqualTo(0.25 * (1 + Math.Sqrt(0.5))).Within(1e-16), "a quarter");
    }

    [Test]
    public void A_schedule_takes_the_optimizers_rate_when_made_as_its_base_and_the_next_step_uses_the_new_rate()
    {
        // L = Σ w has gradient 1, so each step moves w by exactly the rate of that epoch.
        Tensor w = Tensor.Zeros([1], DType.Float64).RequireGrad();
        var sgd = new Sgd([w], 0.4);
        var schedule = new StepSchedule(sgd, stepSize: 1, gamma: 0.5);
        double position = 0;

        Assert.That(schedule.BaseLearningRate, Is.EqualTo(0.4));
        Assert.That(schedule.Optimizer, Is.SameAs(sgd));
        foreach (double rate in new[] { 0.4, 0.2, 0.1, 0.05 })
        {
            sgd.ZeroGrad();
            w.Sum().Backward();
            sgd.Step();
            schedule.Step();
            position -= rate;

            Assert.That(w.Item(), Is.EqualTo(position).Within(1e-15));
        }
    }

    [Test]
    public void A_schedule_sets_Adams_rate_too()
    {
        var adam = new Adam([Tensor.Ones([1]).RequireGrad()], learningRate: 0.01);
        var schedule = new CosineAnnealingSchedule(adam, maxSteps: 2);

        schedule.Step();

        Assert.That(adam.LearningRate, Is.EqualTo(0.005).Within(1e-17));
    }

    [TestCase(0, 0.1)]
    [TestCase(-1, 0.1)]
    [TestCase(1, -0.1)]
    [TestCase(1, double.NaN)]
    [TestCase(1, double.PositiveInfinity)]
    public void StepSchedule_rejects_invalid_settings(int stepSize, double gamma)
    {
        Assert.That(() => new StepSchedule(NewSgd(0.1), stepSize, gamma), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(0, 0.0)]
    [TestCase(-3, 0.0)]
    [TestCase(10, -1e-3)]
    [TestCase(10, double.NaN)]
    [TestCase(10, double.PositiveInfinity)]
    public void CosineAnnealingSchedule_rejects_invalid_settings(int maxSteps, double minimum)
    {
        Assert.That(() => new CosineAnnealingSchedule(NewSgd(0.1), maxSteps, minimum), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void A_schedule_needs_an_optimizer()
    {
        Assert.That(() => new StepSchedule(null!, 1), Throws.ArgumentNullException);
        Assert.That(() => new CosineAnnealingSchedule(null!, 1), Throws.ArgumentNullException);
    }

    private static Sgd NewSgd(double learningRate) => new([Tensor.Ones([2]).RequireGrad()], learningRate);

    [Test]
    public void A_rate_the_optimizer_refuses_leaves_the_schedule_where_it_was()
    {
        var sgd = new Sgd([Tensor.Ones([1]).RequireGrad()], learningRate: 0.5);
        var schedule = new NegativeAfterFirstEpoch(sgd);

        schedule.Step();
        Assert.That(() => schedule.Step(), Throws.InstanceOf<ArgumentOutOfRangeException>());

        Assert.That(schedule.Epoch, Is.EqualTo(1));
        Assert.That(sgd.LearningRate, Is.EqualTo(0.25));
    }

    private sealed class NegativeAfterFirstEpoch(Optimizer optimizer) : LearningRateSchedule(optimizer)
    {
        public override double LearningRateAt(int epoch) => epoch <= 1 ? BaseLearningRate / 2 : -1;
    }
}
