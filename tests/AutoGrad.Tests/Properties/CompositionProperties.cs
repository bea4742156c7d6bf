using CsCheck;

namespace AutoGrad.Tests.Properties;

/// <summary>
/// Properties of random compositions of 2..6 ops (<see cref="Compositions"/>): shape-preserving unary ops, broadcasting
/// binary ops with a fresh input or an earlier value (fan-out), shape ops, and sometimes a reduction or loss at the end.
/// </summary>
public sealed class CompositionProperties
{
    private const int Cases = 2000;

    /// <summary>
    /// The single-op tolerance holds for chains too: every intermediate value stays within ±50 and away from the poles of
    /// Log, Sqrt, 1/x and Pow (arguments ≥ 0.1), so the rounding error of a central difference (each evaluation of f off by
    /// a few ulps of 50, divided by 2ε: about 1e-8) and its truncation error (ε²·|f‴|/6, with |f‴| at most about 1e3 here:
    /// 2e-10) stay two orders of magnitude below it; the worst entry measured over these cases is about 1e-8.
    /// </summary>
    private const double Tolerance = 1e-6;

    /// <summary>
    /// 2000 random compositions: every Jacobian entry, for every input, matches float64 central differences within
    /// <see cref="Tolerance"/>. Logs how many compositions had each kind of step, so a generator that stopped producing
    /// fan-out or reductions would show.
    /// </summary>
    [Test]
    public void Gradient_matches_central_differences()
    {
        var withKind = new Dictionary<StepKind, int>();
        var byLength = new SortedDictionary<int, int>();
        Property.Check(
            "composition gradient",
            Compositions.Any,
            c =>
            {
                foreach (StepKind kind in c.Steps.Select(step => step.Kind).Distinct())
                {
                    withKind[kind] = withKind.GetValueOrDefault(kind) + 1;
                }

                byLength[c.Steps.Length] = byLength.GetValueOrDefault(c.Steps.Length) + 1;
                return Checks.Gradient(ToCase(c));
            },
            Cases,
            Tolerance);

        TestContext.Out.WriteLine($"compositions with a step of each kind: {string.Join(", ", withKind.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        TestContext.Out.WriteLine($"compositions by number of ops: {string.Join(", ", byLength.Select(p => $"{p.Key}: {p.Value}"))}");
    }

    /// <summary>
    /// The property can fail: the same compositions followed by <c>v * detach(v)</c>, which hides one of the two paths of
    /// the product from Backward, are caught (the analytic gradient is half the true one).
    /// </summary>
    [Test]
    public void A_missing_path_is_caught()
    {
        PropertyReport report = Property.Run(
            "composition gradient, mutated by v * detach(v)",
            Compositions.Any.Select(c => ToCase(c.Then(StepKind.Unary, $"v{c.Steps.Length} * detach(v{c.Steps.Length})", (_, v) => v[^1] * v[^1].Detach(), c.Shape, c.Range))),
            Checks.Gradient,
            Cases,
            Tolerance,
            shrink: false);

        TestContext.Out.WriteLine(report.Failure);
        Assert.That(report.Failure, Does.Contain("detach(").And.Contain("error"), "a wrong gradient passed the property");
    }

    /// <summary>
    /// The property sees a gradient that is off by one part in 10⁴: <c>v + 1e-4·(v − detach(v))</c> has the value of v and
    /// 1.0001 times its gradient, 100 times the tolerance.
    /// </summary>
    [Test]
    public void A_gradient_off_by_one_part_in_ten_thousand_is_caught()
    {
        PropertyReport report = Property.Run(
            "composition gradient, mutated by a factor 1.0001",
            Compositions.Any.Select(c => ToCase(c.Then(StepKind.Unary, $"v{c.Steps.Length} + 1e-4 * (v{c.Steps.Length} - detach(v{c.Steps.Length}))", (_, v) => v[^1] + (1e-4 * (v[^1] - v[^1].Detach())), c.Shape, c.Range))),
            Checks.Gradient,
            Cases,
            Tolerance,
            shrink: false);

        TestContext.Out.WriteLine(report.Failure);
        Assert.That(report.Failure, Does.Contain("1e-4 * (").And.Contain("error"), "a gradient 1.0001 times too large passed the property");
    }

    private static GradientCase ToCase(Composition c) => new(c.Program, c.Evaluate, c.Inputs);
}
