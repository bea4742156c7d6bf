using AutoGrad.Optimizers;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Optimizers;

/// <summary>
/// The all-or-nothing step: a NaN or ±∞ in any parameter's gradient changes no parameter and no optimizer state, and
/// either throws naming the parameter (the default) or is skipped and counted
/// (<see cref="NonFiniteGradientPolicy.Skip"/>). That the state is unchanged is proved by a normal step afterwards,
/// compared bit for bit with a twin optimizer that never saw the bad step.
/// </summary>
public sealed class NonFiniteGradientTests
{
    // Three parameters; the last has a length that no vector width divides, so its tail is checked by scalar code.
    private static readonly int[][] ParameterShapes = [[2, 3], [5], [37]];

    private static readonly (string Name, Func<Tensor[], Optimizer> Make)[] Optimizers =
    [
        ("Sgd", p => new Sgd(p, 0.1)),
        ("Sgd with momentum and decay", p => new Sgd(p, 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)),
        ("Sgd with Nesterov momentum", p => new Sgd(p, 0.1, momentum: 0.9, nesterov: true)),
        ("Adam", p => new Adam(p, 0.1, weightDecay: 0.01)),
        ("AdamW", p => new AdamW(p, 0.1)),
    ];

    private static readonly double[] BadValues = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var optimizer in Optimizers)
        {
            foreach (int parameter in new[] { 0, 1, 2 })
            {
                int element = parameter == 2 ? 36 : parameter == 1 ? 2 : 0;
                foreach (double bad in BadValues)
                {
                    yield return new TestCaseData(optimizer.Make, parameter, element, bad)
                        .SetName($"{optimizer.Name}: {bad} in parameter {parameter} element {element}");
                }
            }
        }
    }

    public static IEnumerable<TestCaseData> OptimizerCases()
        => Optimizers.Select(o => new TestCaseData(o.Make).SetName($"{o.Name}: a skipped step changes nothing and is counted"));

    [TestCaseSource(nameof(Cases))]
    public void A_non_finite_gradient_throws_naming_the_parameter_and_changes_nothing(
        Func<Tensor[], Optimizer> make, int badParameter, int badElement, double bad)
    {
        Tensor[] parameters = NewParameters();
        Tensor[] twin = NewParameters();
        Optimizer optimizer = make(parameters);
        Optimizer twinOptimizer = make(twin);

        // A normal step first, so that momentum and Adam's moments exist.
        SetGradients(parameters, seed: 1);
        optimizer.Step();
        SetGradients(twin, seed: 1);
        twinOptimizer.Step();
        long[][] before = [.. parameters.Select(TestTensors.Bits)];

        SetGradients(parameters, seed: 2, badParameter, badElement, bad);
        string shape = Shapes.Format(ParameterShapes[badParameter]);
        Assert.That(
            optimizer.Step,
            Throws.InvalidOperationException.With.Message.Contains($"parameter {badParameter} (shape {shape})"));

        for (int p = 0; p < parameters.Length; p++)
        {
            Assert.That(TestTensors.Bits(parameters[p]), Is.EqualTo(before[p]), $"parameter {p} is unchanged");
        }

        Assert.That(optimizer.StepCount, Is.EqualTo(1));
        Assert.That(optimizer.SkippedSteps, Is.Zero);

        // The state is unchanged too: the next normal step is the twin's second step, bit for bit.
        SetGradients(parameters, seed: 3);
        optimizer.Step();
        SetGradients(twin, seed: 3);
        twinOptimizer.Step();
        for (int p = 0; p < parameters.Length; p++)
        {
            Assert.That(TestTensors.Bits(parameters[p]), Is.EqualTo(TestTensors.Bits(twin[p])), $"parameter {p} after the next step");
        }

        Assert.That(optimizer.StepCount, Is.EqualTo(2));
    }

    [TestCaseSource(nameof(OptimizerCases))]
    public void A_skipped_step_changes_nothing_and_is_counted(Func<Tensor[], Optimizer> make)
    {
        Tensor[] parameters = NewParameters();
        Tensor[] twin = NewParameters();
        Optimizer optimizer = make(parameters);
        optimizer.NonFiniteGradients = NonFiniteGradientPolicy.Skip;
        Optimizer twinOptimizer = make(twin);

        SetGradients(parameters, seed: 1);
        optimizer.Step();
        SetGradients(twin, seed: 1);
        twinOptimizer.Step();
        long[][] before = [.. parameters.Select(TestTensors.Bits)];

        SetGradients(parameters, seed: 2, badParameter: 2, badElement: 36, double.NaN);
        Assert.That(optimizer.Step, Throws.Nothing);
        SetGradients(parameters, seed: 2, badParameter: 0, badElement: 5, double.PositiveInfinity);
        Assert.That(optimizer.Step, Throws.Nothing);

        for (int p = 0; p < parameters.Length; p++)
        {
            Assert.That(TestTensors.Bits(parameters[p]), Is.EqualTo(before[p]), $"parameter {p} is unchanged");
        }

        Assert.That(optimizer.SkippedSteps, Is.EqualTo(2));
        Assert.That(optimizer.StepCount, Is.EqualTo(1));

        SetGradients(parameters, seed: 3);
        optimizer.Step();
        SetGradients(twin, seed: 3);
        twinOptimizer.Step();
        for (int p = 0; p < parameters.Length; p++)
        {
            Assert.That(TestTensors.Bits(parameters[p]), Is.EqualTo(TestTensors.Bits(twin[p])), $"parameter {p} after the next step");
        }

        Assert.That(optimizer.StepCount, Is.EqualTo(2));
        Assert.That(optimizer.SkippedSteps, Is.EqualTo(2));
    }

    [Test]
    public void Throw_is_the_default_policy_and_counters_start_at_zero()
    {
        var sgd = new Sgd([Tensor.Ones([1]).RequireGrad()], 0.1);

        Assert.That(sgd.NonFiniteGradients, Is.EqualTo(NonFiniteGradientPolicy.Throw));
        Assert.That(sgd.StepCount, Is.Zero);
        Assert.That(sgd.SkippedSteps, Is.Zero);
    }

    [Test]
    public void A_bad_gradient_at_the_very_first_step_creates_no_state()
    {
        // Had the failed step created Adam's moments or a step count, the next step would differ from a fresh one.
        Tensor[] parameters = NewParameters();
        Tensor[] twin = NewParameters();
        var adam = new Adam(parameters, 0.1);
        var twinAdam = new Adam(twin, 0.1);

        SetGradients(parameters, seed: 2, badParameter: 2, badElement: 17, double.NaN);
        Assert.That(adam.Step, Throws.InvalidOperationException);
        SetGradients(parameters, seed: 3);
        adam.Step();
        SetGradients(twin, seed: 3);
        twinAdam.Step();

        for (int p = 0; p < parameters.Length; p++)
        {
            Assert.That(TestTensors.Bits(parameters[p]), Is.EqualTo(TestTensors.Bits(twin[p])), $"parameter {p}");
        }
    }

    [Test]
    public void Every_position_of_a_non_finite_element_is_found_in_float32_and_float64()
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            for (int length = 1; length <= 40; length++)
            {
                for (int position = 0; position < length; position++)
                {
                    Tensor w = Tensor.Zeros([length], dtype).RequireGrad();
                    var sgd = new Sgd([w], 1);
                    double[] factor = new double[length];
                    Array.Fill(factor, 1.0);
                    factor[position] = double.NaN;

                    (w * Tensor.Create(factor).ToDType(dtype)).Sum().Backward();

                    Assert.That(sgd.Step, Throws.InvalidOperationException, $"{dtype.Name()} length {length}, NaN at {position}");
                    Assert.That(w.ToDType(DType.Float64).ToArray<double>(), Is.All.EqualTo(0.0));
                }
            }
        }
    }

    [Test]
    public void A_parameter_without_a_gradient_does_not_stop_the_step()
    {
        Tensor used = Tensor.Ones([3], DType.Float64).RequireGrad();
        Tensor unused = Tensor.Create(new[] { double.NaN, 1.0 }).RequireGrad();
        var adam = new Adam([unused, used], 0.1);

        (used * 2).Sum().Backward();
        adam.Step();

        Assert.That(adam.StepCount, Is.EqualTo(1));
        Assert.That(used.ToArray<double>(), Is.All.EqualTo(0.9).Within(1e-8), "Adam's first step moves by about the learning rate");
        Assert.That(unused.Grad, Is.Null);
    }

    private static Tensor[] NewParameters()
        => [.. ParameterShapes.Select((shape, p) => TestTensors.AwayFromZero(shape, seed: 10 + p).RequireGrad())];

    /// <summary>Gives every parameter a gradient of seeded values through backward, with one bad element if asked.</summary>
    private static void SetGradients(Tensor[] parameters, int seed, int badParameter = -1, int badElement = 0, double bad = 0)
    {
        Tensor? loss = null;
        for (int p = 0; p < parameters.Length; p++)
        {
            parameters[p].ZeroGrad();
            double[] gradient = TestTensors.AwayFromZero(ParameterShapes[p], seed * 100 + p).ToArray<double>();
            if (p == badParameter)
            {
                gradient[badElement] = bad;
            }

            Tensor term = (parameters[p] * Tensor.Create(gradient, ParameterShapes[p])).Sum();
            loss = loss is null ? term : loss + term;
        }

        loss!.Backward();
    }
}
