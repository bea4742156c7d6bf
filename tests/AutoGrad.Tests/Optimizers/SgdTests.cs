using AutoGrad.Optimizers;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Optimizers;

public sealed class SgdTests
{
    [Test]
    public void A_step_moves_each_parameter_against_its_gradient_by_the_learning_rate()
    {
        Tensor w = Tensor.Create(new[] { 1.0, -2.0 }).RequireGrad();
        Tensor b = Tensor.Scalar(0.5, DType.Float64).RequireGrad();
        var sgd = new Sgd([w, b], learningRate: 0.25);

        ((w * w).Sum() + (b * 4)).Backward(); // dw = 2w = [2, −4], db = 4
        sgd.Step();

        TestTensors.AssertClose(w, [1 - (0.25 * 2), -2 + (0.25 * 4)], 0);
        TestTensors.AssertClose(b, [0.5 - (0.25 * 4)], 0);
        Assert.That(w.RequiresGrad && w.IsLeaf, Is.True);
    }

    [Test]
    public void ZeroGrad_clears_every_gradient_and_parameters_without_one_stay()
    {
        Tensor used = Tensor.Ones([2], DType.Float64).RequireGrad();
        Tensor unused = Tensor.Ones([2], DType.Float64).RequireGrad();
        var sgd = new Sgd([used, unused], learningRate: 1);

        (used * 3).Sum().Backward();
        sgd.Step();
        sgd.ZeroGrad();

        TestTensors.AssertClose(used, [-2, -2], 0);
        TestTensors.AssertClose(unused, [1, 1], 0);
        TestTensors.AssertClose(used.Grad!, [0, 0], 0);
        Assert.That(unused.Grad, Is.Null);
    }

    [Test]
    public void Parameters_must_be_leaves_that_require_gradients()
    {
        Tensor leaf = Tensor.Ones([2]).RequireGrad();

        Assert.That(() => new Sgd([Tensor.Ones([2])], 0.1), Throws.ArgumentException.With.Message.Contains("RequiresGrad"));
        Assert.That(() => new Sgd([leaf * 2], 0.1), Throws.ArgumentException.With.Message.Contains("leaf"));
    }

    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void An_invalid_learning_rate_is_rejected(double learningRate)
    {
        Tensor w = Tensor.Ones([2]).RequireGrad();

        Assert.That(() => new Sgd([w], learningRate), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    // ---- Against PyTorch's documented algorithm, written out as scalar double code ----

    private const double Relative = 1e-12;

    [TestCase(0, 0, false, 0, TestName = "SGD plain matches the reference for three steps")]
    [TestCase(0, 0, false, 0.1, TestName = "SGD with weight decay matches the reference for three steps")]
    [TestCase(0, 0.5, false, 0, TestName = "SGD ignores dampening without momentum")]
    [TestCase(0.9, 0, false, 0, TestName = "SGD with momentum matches the reference for three steps")]
    [TestCase(0.9, 0.5, false, 0, TestName = "SGD with momentum and dampening matches the reference for three steps")]
    [TestCase(0.9, 1, false, 0, TestName = "SGD with momentum and full dampening matches the reference for three steps")]
    [TestCase(0.9, 0, true, 0, TestName = "SGD with Nesterov momentum matches the reference for three steps")]
    [TestCase(0.9, 0, false, 0.1, TestName = "SGD with momentum and weight decay matches the reference for three steps")]
    [TestCase(0.8, 0, true, 0.05, TestName = "SGD with Nesterov momentum and weight decay matches the reference for three steps")]
    [TestCase(0.7, 0.3, false, 0.2, TestName = "SGD with momentum, dampening and weight decay matches the reference for three steps")]
    public void Steps_match_the_reference(double momentum, double dampening, bool nesterov, double weightDecay)
    {
        var problem = new Quadratic();
        var sgd = new Sgd(problem.Parameters, 0.1, momentum, dampening, nesterov, weightDecay);

        for (int step = 1; step <= 3; step++)
        {
            problem.Backward();
            sgd.Step();

            double[][] expected = ReferenceSgd(problem, [.. Enumerable.Repeat(0.1, step)], momentum, dampening, nesterov, weightDecay);
            Quadratic.AssertMatches(problem.Parameters, expected, Relative, $"step {step}");
        }

        Assert.That(sgd.StepCount, Is.EqualTo(3));
    }

    [TestCase(DType.Float64, 1e-12)]
    [TestCase(DType.Float32, 1e-5)]
    public void Steps_on_parameters_of_many_lengths_match_the_reference(DType dtype, double relative)
    {
        // Lengths around and past every vector width, so both the vector loops and their scalar tails are used.
        var problem = Quadratic.Random([[1], [7], [37], [17, 19], [1031]], seed: 5, dtype);
        var sgd = new Sgd(problem.Parameters, 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.1);

        for (int step = 1; step <= 3; step++)
        {
            problem.Backward();
            sgd.Step();
        }

        Quadratic.AssertMatches(problem.Parameters, ReferenceSgd(problem, [0.05, 0.05, 0.05], 0.9, 0.2, nesterov: false, 0.1), relative, dtype.Name());
    }

    [Test]
    public void The_first_momentum_step_uses_the_gradient_itself_and_later_steps_the_damped_average()
    {
        // One parameter, constant gradient 1 (L = θ): b₁ = 1, b₂ = 0.5·1 + (1 − 0.25)·1 = 1.25, b₃ = 0.5·1.25 + 0.75 = 1.375.
        Tensor w = Tensor.Create(new[] { 0.0 }).RequireGrad();
        var sgd = new Sgd([w], learningRate: 1, momentum: 0.5, dampening: 0.25);
        double[] expected = [-1, -2.25, -3.625];

        for (int step = 0; step < 3; step++)
        {
            sgd.ZeroGrad();
            w.Sum().Backward();
            sgd.Step();
            TestTensors.AssertClose(w, [expected[step]], 0, $"step {step + 1}");
        }
    }

    [Test]
    public void A_changed_learning_rate_applies_from_the_next_step()
    {
        double[] rates = [0.1, 0.05, 0.2];
        var problem = new Quadratic();
        var sgd = new Sgd(problem.Parameters, rates[0], momentum: 0.9, nesterov: true);

        for (int step = 1; step <= 3; step++)
        {
            sgd.LearningRate = rates[step - 1];
            problem.Backward();
            sgd.Step();
        }

        Quadratic.AssertMatches(problem.Parameters, ReferenceSgd(problem, rates, 0.9, 0, nesterov: true, 0), Relative, "after three steps");
    }

    [Test]
    public void Steps_match_values_computed_by_pytorch()
    {
        // torch.optim.SGD (PyTorch 1.13, float64) on the same problem, three steps; see Quadratic.
        double[][] nesterovDecay =
        [
            [0.16994457849999978, 0.0031662252000000434, -1.4099326867, 1.7350691522, 0.042795971300000055, 2.1878067399],
            [0.13864625000000014, -0.6271816086, 1.21770524875, -1.5381409],
        ];
        double[][] dampedDecay =
        [
            [0.49302836000000005, -0.253572224, -1.257504936, 1.796323896, -0.2418536960000001, 1.700589942],
            [-0.5248784000000002, -0.329271024, 1.16186, -1.0656664059999998],
        ];

        Quadratic.AssertMatches(Run(p => new Sgd(p, 0.1, momentum: 0.8, nesterov: true, weightDecay: 0.05)), nesterovDecay, Relative, "Nesterov, decay");
        Quadratic.AssertMatches(Run(p => new Sgd(p, 0.1, momentum: 0.7, dampening: 0.3, weightDecay: 0.2)), dampedDecay, Relative, "damped, decay");
    }

    // ---- Settings ----

    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void Momentum_must_be_in_zero_to_one(double momentum)
    {
        Assert.That(() => new Sgd([Tensor.Ones([2]).RequireGrad()], 0.1, momentum), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(-0.1)]
    [TestCase(1.01)]
    [TestCase(double.NaN)]
    public void Dampening_must_be_in_zero_to_one_inclusive(double dampening)
    {
        Assert.That(() => new Sgd([Tensor.Ones([2]).RequireGrad()], 0.1, 0.9, dampening), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new Sgd([Tensor.Ones([2]).RequireGrad()], 0.1, 0.9, 1.0), Throws.Nothing);
    }

    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Weight_decay_must_be_finite_and_non_negative(double weightDecay)
    {
        Assert.That(() => new Sgd([Tensor.Ones([2]).RequireGrad()], 0.1, weightDecay: weightDecay), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Nesterov_needs_momentum_and_no_dampening()
    {
        Tensor w = Tensor.Ones([2]).RequireGrad();

        Assert.That(() => new Sgd([w], 0.1, nesterov: true), Throws.ArgumentException.With.Message.Contains("Nesterov"));
        Assert.That(() => new Sgd([w], 0.1, momentum: 0.9, dampening: 0.1, nesterov: true), Throws.ArgumentException.With.Message.Contains("Nesterov"));
        Assert.That(() => new Sgd([w], 0.1, momentum: 0.9, nesterov: true), Throws.Nothing);
    }

    [Test]
    public void An_empty_parameter_list_is_rejected_as_in_PyTorch()
    {
        Assert.That(() => new Sgd([], 0.1), Throws.ArgumentException.With.Message.Contains("empty"));
        Assert.That(() => new Adam([]), Throws.ArgumentException.With.Message.Contains("empty"));
    }

    [Test]
    public void A_parameter_given_twice_or_null_is_rejected()
    {
        Tensor w = Tensor.Ones([2, 3]).RequireGrad();
        Tensor b = Tensor.Ones([3]).RequireGrad();

        Assert.That(() => new Sgd([w, b, w], 0.1), Throws.ArgumentException.With.Message.Contains("parameter 2").And.Message.Contains("[2, 3]").And.Message.Contains("twice"));
        Assert.That(() => new Sgd([w, null!], 0.1), Throws.ArgumentException.With.Message.Contains("parameter 1"));
        Assert.That(() => new Sgd(null!, 0.1), Throws.ArgumentNullException);
    }

    [Test]
    public void Setting_an_invalid_learning_rate_throws_and_keeps_the_old_one()
    {
        var sgd = new Sgd([Tensor.Ones([2]).RequireGrad()], 0.1);

        Assert.That(() => sgd.LearningRate = -1, Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => sgd.LearningRate = double.NaN, Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(sgd.LearningRate, Is.EqualTo(0.1));
        sgd.LearningRate = 0;
        Assert.That(sgd.LearningRate, Is.Zero);
    }

    [Test]
    public void A_parameter_without_a_gradient_is_left_alone_and_keeps_no_momentum()
    {
        var problem = new Quadratic();
        var sgd = new Sgd(problem.Parameters, 0.1, momentum: 0.9);

        // Step 1 reaches only parameter 0; parameter 1 has no gradient and stays; at step 2 its momentum starts afresh.
        problem.Backward(0);
        sgd.Step();
        Assert.That(problem.Parameters[1].Grad, Is.Null);
        Assert.That(problem.Parameters[1].ToArray<double>(), Is.EqualTo(problem.Starts[1]));
        problem.Backward();
        sgd.Step();

        double[][] twoSteps = ReferenceSgd(problem, [0.1, 0.1], 0.9, 0, nesterov: false, 0);
        double[][] oneStep = ReferenceSgd(problem, [0.1], 0.9, 0, nesterov: false, 0);
        Quadratic.AssertMatches([problem.Parameters[0]], [twoSteps[0]], Relative, "parameter 0 took two steps");
        Quadratic.AssertMatches([problem.Parameters[1]], [oneStep[1]], Relative, "parameter 1 took its first step");
    }

    private static Tensor[] Run(Func<Tensor[], AutoGrad.Optimizers.Optimizer> make)
    {
        var problem = new Quadratic();
        AutoGrad.Optimizers.Optimizer optimizer = make(problem.Parameters);
        for (int step = 0; step < 3; step++)
        {
            problem.Backward();
            optimizer.Step();
        }

        return problem.Parameters;
    }

    /// <summary>
    /// torch.optim.SGD's documented algorithm, element by element, with learning rate γₜ at step t:
    /// g ← ∇ + λθ; if μ ≠ 0: b ← g at t = 1, else μb + (1 − τ)g, and g ← g + μb (Nesterov) or b; θ ← θ − γₜg.
    /// </summary>
    private static double[][] ReferenceSgd(Quadratic problem, double[] learningRates, double momentum, double dampening, bool nesterov, double weightDecay)
    {
        double[][] theta = problem.StartingValues();
        double[][] buffer = [.. theta.Select(t => new double[t.Length])];
        for (int t = 1; t <= learningRates.Length; t++)
        {
            for (int p = 0; p < theta.Length; p++)
            {
                for (int i = 0; i < theta[p].Length; i++)
                {
                    double g = problem.Gradient(p, i, theta[p][i]);
                    if (weightDecay != 0)
                    {
                        g += weightDecay * theta[p][i];
                    }

                    if (momentum != 0)
                    {
                        buffer[p][i] = t == 1 ? g : (momentum * buffer[p][i]) + ((1 - dampening) * g);
                        g = nesterov ? g + (momentum * buffer[p][i]) : buffer[p][i];
                    }

                    theta[p][i] -= learningRates[t - 1] * g;
                }
            }
        }

        return theta;
    }
}
