using AutoGrad.Optimizers;

namespace AutoGrad.Tests.Optimizers;

/// <summary>
/// <see cref="Adam"/> and <see cref="AdamW"/> step by step against PyTorch's documented algorithms (torch.optim.Adam and
/// torch.optim.AdamW), written out below as scalar double code, and against values computed by PyTorch itself.
/// </summary>
public sealed class AdamTests
{
    private const double Relative = 1e-12;

    [TestCase(1e-3, 0.9, 0.999, 1e-8, 0, TestName = "Adam with PyTorch's defaults matches the reference for three steps")]
    [TestCase(0.1, 0.8, 0.95, 1e-8, 0, TestName = "Adam with other betas matches the reference for three steps")]
    [TestCase(0.1, 0.9, 0.999, 0.5, 0, TestName = "Adam with a large epsilon adds it after the bias correction")]
    [TestCase(0.1, 0, 0.5, 1e-8, 0, TestName = "Adam with beta1 0 matches the reference for three steps")]
    [TestCase(0.1, 0.8, 0.95, 1e-8, 0.1, TestName = "Adam with L2 weight decay matches the reference for three steps")]
    public void Adam_steps_match_the_reference(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        var problem = new Quadratic();
        var adam = new Adam(problem.Parameters, learningRate, beta1, beta2, epsilon, weightDecay);

        for (int step = 1; step <= 3; step++)
        {
            problem.Backward();
            adam.Step();

            double[][] expected = Reference(problem, [.. Enumerable.Repeat(learningRate, step)], beta1, beta2, epsilon, weightDecay, decoupled: false);
            Quadratic.AssertMatches(problem.Parameters, expected, Relative, $"step {step}");
        }

        Assert.That(adam.StepCount, Is.EqualTo(3));
    }

    [TestCase(0.05, 0.85, 0.99, 1e-8, 0.1, TestName = "AdamW matches the reference for three steps")]
    [TestCase(1e-3, 0.9, 0.999, 1e-8, 1e-2, TestName = "AdamW with PyTorch's defaults matches the reference for three steps")]
    [TestCase(0.1, 0.9, 0.999, 1e-8, 0, TestName = "AdamW without decay matches Adam's reference")]
    [TestCase(0.2, 0.5, 0.9, 0.3, 2, TestName = "AdamW with strong decay and a large epsilon matches the reference")]
    public void AdamW_steps_match_the_reference(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    {
        var problem = new Quadratic();
        var adamW = new AdamW(problem.Parameters, learningRate, beta1, beta2, epsilon, weightDecay);

        for (int step = 1; step <= 3; step++)
        {
            problem.Backward();
            adamW.Step();

            double[][] expected = Reference(problem, [.. Enumerable.Repeat(learningRate, step)], beta1, beta2, epsilon, weightDecay, decoupled: true);
            Quadratic.AssertMatches(problem.Parameters, expected, Relative, $"step {step}");
        }
    }

    [TestCase(DType.Float64, false, 1e-12)]
    [TestCase(DType.Float64, true, 1e-12)]
    [TestCase(DType.Float32, false, 1e-5)]
    [TestCase(DType.Float32, true, 1e-5)]
    public void Steps_on_parameters_of_many_lengths_match_the_reference(DType dtype, bool decoupled, double relative)
    {
        // Lengths around and past every vector width, so both the vector loops and their scalar tails are used.
        var problem = Quadratic.Random([[1], [7], [37], [17, 19], [1031]], seed: 6, dtype);
        Optimizer optimizer = decoupled
            ? new AdamW(problem.Parameters, 0.05, 0.8, 0.9, 1e-8, weightDecay: 0.3)
            : new Adam(problem.Parameters, 0.05, 0.8, 0.9, 1e-8, weightDecay: 0.3);

        for (int step = 1; step <= 3; step++)
        {
            problem.Backward();
            optimizer.Step();
        }

        Quadratic.AssertMatches(problem.Parameters, Reference(problem, [0.05, 0.05, 0.05], 0.8, 0.9, 1e-8, 0.3, decoupled), relative, dtype.Name());
    }

    [Test]
    public void A_parameter_left_out_of_the_loss_moves_after_ZeroGrad_but_not_after_ZeroGrad_setToNone()
    {
        Tensor used = Tensor.Create(new[] { 1.0 }).RequireGrad();
        Tensor dropped = Tensor.Create(new[] { 2.0 }).RequireGrad();
        var zeroed = new Adam([used, dropped], learningRate: 0.1);
        (used * dropped).Sum().Backward();
        zeroed.Step();
        double afterFirstStep = dropped.Item();

        zeroed.ZeroGrad();
        (used * 3).Sum().Backward();
        zeroed.Step();
        Assert.That(dropped.Item(), Is.Not.EqualTo(afterFirstStep), "a zero gradient still meets Adam's running mean");

        double beforeThirdStep = dropped.Item();
        zeroed.ZeroGrad(setToNone: true);
        Assert.That(dropped.Grad, Is.Null);
        (used * 3).Sum().Backward();
        zeroed.Step();
        Assert.That(dropped.Item(), Is.EqualTo(beforeThirdStep), "no gradient, no step");
    }

    [Test]
    public void An_invalid_learning_rate_names_the_constructor_argument()
    {
        Tensor w = Tensor.Ones([2]).RequireGrad();

        Assert.That(() => new Adam([w], learningRate: -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("learningRate"));
    }

    [Test]
    public void The_defaults_are_pytorchs()
    {
        Tensor w = Tensor.Ones([1]).RequireGrad();
        var adam = new Adam([w]);
        var adamW = new AdamW([Tensor.Ones([1]).RequireGrad()]);

        Assert.That((adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay), Is.EqualTo((1e-3, 0.9, 0.999, 1e-8, 0.0)));
        Assert.That((adamW.LearningRate, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay), Is.EqualTo((1e-3, 0.9, 0.999, 1e-8, 1e-2)));
    }

    [Test]
    public void Adam_and_AdamW_differ_when_they_decay()
    {
        var coupled = new Quadratic();
        var decoupled = new Quadratic();
        var adam = new Adam(coupled.Parameters, 0.1, weightDecay: 0.5);
        var adamW = new AdamW(decoupled.Parameters, 0.1, weightDecay: 0.5);

        for (int step = 0; step < 2; step++)
        {
            coupled.Backward();
            adam.Step();
            decoupled.Backward();
            adamW.Step();
        }

        Assert.That(coupled.Parameters[0].ToArray<double>(), Is.Not.EqualTo(decoupled.Parameters[0].ToArray<double>()).Within(1e-6));
    }

    [Test]
    public void A_changed_learning_rate_applies_from_the_next_step()
    {
        double[] rates = [0.1, 0.02, 0.3];
        var problem = new Quadratic();
        var adamW = new AdamW(problem.Parameters, rates[0], 0.8, 0.9, 1e-8, weightDecay: 0.2);

        for (int step = 1; step <= 3; step++)
        {
            adamW.LearningRate = rates[step - 1];
            problem.Backward();
            adamW.Step();
        }

        Quadratic.AssertMatches(problem.Parameters, Reference(problem, rates, 0.8, 0.9, 1e-8, 0.2, decoupled: true), Relative, "after three steps");
    }

    [Test]
    public void Each_parameter_counts_its_own_steps_for_the_bias_correction()
    {
        // Parameter 1 has no gradient at step 1, so it is left alone, and step 2 is its first (t = 1), as in PyTorch.
        var problem = new Quadratic();
        var adam = new Adam(problem.Parameters, 0.1, 0.8, 0.95);

        problem.Backward(0);
        adam.Step();
        Assert.That(problem.Parameters[1].ToArray<double>(), Is.EqualTo(problem.Starts[1]), "no gradient, no change");
        problem.Backward();
        adam.Step();

        double[][] twoSteps = Reference(problem, [0.1, 0.1], 0.8, 0.95, 1e-8, 0, decoupled: false);
        double[][] oneStep = Reference(problem, [0.1], 0.8, 0.95, 1e-8, 0, decoupled: false);
        Quadratic.AssertMatches([problem.Parameters[0]], [twoSteps[0]], Relative, "parameter 0 took two steps");
        Quadratic.AssertMatches([problem.Parameters[1]], [oneStep[1]], Relative, "parameter 1 took its first step");
    }

    [Test]
    public void The_gradient_is_not_modified_by_the_step()
    {
        var problem = new Quadratic();
        var adam = new Adam(problem.Parameters, 0.1, weightDecay: 0.3);
        problem.Backward();
        double[][] before = [.. problem.Parameters.Select(p => p.Grad!.ToArray<double>())];

        adam.Step();
        adam.Step();

        for (int p = 0; p < before.Length; p++)
        {
            Assert.That(problem.Parameters[p].Grad!.ToArray<double>(), Is.EqualTo(before[p]), $"gradient {p}");
        }
    }

    [Test]
    public void Steps_match_values_computed_by_pytorch()
    {
        // torch.optim.Adam and AdamW (PyTorch 1.13, float64) on the same problem, three steps; see Quadratic.
        double[][] adamDecay =
        [
            [1.201580814474266, -0.5016700482698877, 0.0016347263694734548, 1.901497408766698, -1.4014400760577517, 1.1986023848695007],
            [-1.7006072199345907, 0.30203133709143193, 1.1607760777328238, -0.699170036181363],
        ];
        double[][] adamLargeEpsilon =
        [
            [1.2504434300732274, -0.5855341676896175, 0.028059524540765005, 2.038356211782672, -1.4336053003316767, 1.1466153217722634],
            [-1.737348094660068, 0.35024747252064986, 1.25, -0.6343074228791595],
        ];
        double[][] adamW =
        [
            [1.328727945285422, -0.639149541375429, 0.14659384499868564, 2.0183462368012717, -1.5257193121941435, 1.035597140949582],
            [-1.8210490905021959, 0.44219956649527703, 1.2434656697790856, -0.5431430654102677],
        ];

        Quadratic.AssertMatches(Run(p => new Adam(p, 0.1, 0.8, 0.95, 1e-8, weightDecay: 0.1)), adamDecay, Relative, "Adam, decay");
        Quadratic.AssertMatches(Run(p => new Adam(p, 0.1, 0.9, 0.999, 0.5)), adamLargeEpsilon, Relative, "Adam, ε = 0.5");
        Quadratic.AssertMatches(Run(p => new AdamW(p, 0.05, 0.85, 0.99, 1e-8, weightDecay: 0.1)), adamW, Relative, "AdamW");
    }

    // ---- Settings ----

    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void Betas_must_be_in_zero_to_one(double beta)
    {
        Assert.That(() => new Adam([Param()], beta1: beta), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("beta1"));
        Assert.That(() => new Adam([Param()], beta2: beta), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("beta2"));
        Assert.That(() => new AdamW([Param()], beta1: beta), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("AdamW"));
        Assert.That(() => new AdamW([Param()], beta2: beta), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(-1e-8)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Epsilon_and_weight_decay_must_be_finite_and_non_negative(double value)
    {
        Assert.That(() => new Adam([Param()], epsilon: value), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("epsilon"));
        Assert.That(() => new Adam([Param()], weightDecay: value), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("weightDecay"));
        Assert.That(() => new AdamW([Param()], epsilon: value), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new AdamW([Param()], weightDecay: value), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(-1e-3)]
    [TestCase(double.NaN)]
    [TestCase(double.NegativeInfinity)]
    public void The_learning_rate_must_be_finite_and_non_negative(double learningRate)
    {
        Assert.That(() => new Adam([Param()], learningRate), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new AdamW([Param()], learningRate), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Boundary_settings_are_accepted()
    {
        Assert.That(() => new Adam([Param()], learningRate: 0, beta1: 0, beta2: 0, epsilon: 0, weightDecay: 0), Throws.Nothing);
    }

    [Test]
    public void Parameters_must_be_distinct_leaves_that_require_gradients()
    {
        Tensor w = Param();

        Assert.That(() => new Adam([w, w]), Throws.ArgumentException.With.Message.Contains("twice"));
        Assert.That(() => new AdamW([w, w]), Throws.ArgumentException.With.Message.Contains("AdamW"));
        Assert.That(() => new Adam([w * 2]), Throws.ArgumentException.With.Message.Contains("leaf"));
        Assert.That(() => new Adam([Tensor.Ones([2])]), Throws.ArgumentException.With.Message.Contains("RequiresGrad"));
    }

    private static Tensor Param() => Tensor.Ones([2]).RequireGrad();

    private static Tensor[] Run(Func<Tensor[], Optimizer> make)
    {
        var problem = new Quadratic();
        Optimizer optimizer = make(problem.Parameters);
        for (int step = 0; step < 3; step++)
        {
            problem.Backward();
            optimizer.Step();
        }

        return problem.Parameters;
    }

    /// <summary>
    /// torch.optim.Adam's documented algorithm (amsgrad off), element by element, with learning rate γₜ at step t:
    /// Adam: g ← ∇ + λθ; AdamW: θ ← θ − γₜλθ and g ← ∇; then m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
    /// m̂ ← m/(1 − β₁ᵗ); v̂ ← v/(1 − β₂ᵗ); θ ← θ − γₜ m̂/(√v̂ + ε).
    /// </summary>
    private static double[][] Reference(Quadratic problem, double[] learningRates, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
    {
        double[][] theta = problem.StartingValues();
        double[][] m = [.. theta.Select(t => new double[t.Length])];
        double[][] v = [.. theta.Select(t => new double[t.Length])];
        for (int t = 1; t <= learningRates.Length; t++)
        {
            double rate = learningRates[t - 1];
            for (int p = 0; p < theta.Length; p++)
            {
                for (int i = 0; i < theta[p].Length; i++)
                {
                    double g = problem.Gradient(p, i, theta[p][i]);
                    if (decoupled)
                    {
                        theta[p][i] *= 1 - (rate * weightDecay);
                    }
                    else
                    {
                        g += weightDecay * theta[p][i];
                    }

                    m[p][i] = (beta1 * m[p][i]) + ((1 - beta1) * g);
                    v[p][i] = (beta2 * v[p][i]) + ((1 - beta2) * g * g);
                    double mHat = m[p][i] / (1 - Math.Pow(beta1, t));
                    double vHat = v[p][i] / (1 - Math.Pow(beta2, t));
                    theta[p][i] -= rate * mHat / (Math.Sqrt(vHat) + epsilon);
                }
            }
        }

        return theta;
    }
}
