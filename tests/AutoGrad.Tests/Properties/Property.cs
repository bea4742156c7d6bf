using System.Globalization;
using CsCheck;

namespace AutoGrad.Tests.Properties;

/// <summary>What one case measured: an error to compare with the property's tolerance, and a description of where it is.</summary>
internal readonly record struct Outcome(double Error, string Detail)
{
    public static Outcome Pass { get; } = new(0, "");

    public static Outcome Fail(string detail) => new(double.PositiveInfinity, detail);
}

/// <summary>The result of running a property: how many cases ran, the worst error seen, and the failure if any.</summary>
internal sealed record PropertyReport(string Name, int Cases, double WorstError, double Tolerance, string? Failure)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name}: {Cases} cases, worst error {WorstError:G3} (tolerance {Tolerance:G3})");
}

/// <summary>
/// Runs a property over cases drawn from a CsCheck generator, deterministically: the cases come one after another from
/// a PCG seeded by the property's name, so every run (and every vector-width path in CI) checks the same cases.
/// </summary>
/// <remarks>
/// CsCheck's own <c>Sample</c> fixes only its first case by the seed and draws the rest from per-thread random
/// streams, which would make CI check different cases on each run; it is used here only after a failure, starting
/// from the failing case's seed, to shrink it to a smaller failing case for the message.
/// </remarks>
internal static class Property
{
    private const int ShrinkIterations = 200;

    /// <summary>Runs the property and asserts that every case's error is at most <paramref name="tolerance"/>; logs the count and the worst error.</summary>
    public static PropertyReport Check<T>(string name, Gen<T> gen, Func<T, Outcome> property, int cases, double tolerance)
    {
        PropertyReport report = Run(name, gen, property, cases, tolerance);
        TestContext.Out.WriteLine(report.ToString());
        Assert.That(report.Failure, Is.Null, report.Failure);
        return report;
    }

    /// <summary>Runs the property over <paramref name="cases"/> cases, stopping at the first whose error exceeds <paramref name="tolerance"/> (or is NaN).</summary>
    public static PropertyReport Run<T>(string name, Gen<T> gen, Func<T, Outcome> property, int cases, double tolerance, bool shrink = true)
    {
        var pcg = new PCG(1, Fnv1a(name));
        double worst = 0;
        for (int i = 0; i < cases; i++)
        {
            string seed = pcg.ToString(pcg.State);
            T value = gen.Generate(pcg, null, out _);
            Outcome outcome = Evaluate(property, value);
            if (!(outcome.Error <= tolerance))
            {
                string failure = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name}: case {i + 1} of {cases} has error {outcome.Error:G3} > tolerance {tolerance:G3}: {outcome.Detail}\n"
                    + $"case: {value}\n"
                    + $"CsCheck seed of this case: \"{seed}\" (gen.Sample(..., seed: \"{seed}\", iter: 1) runs it alone)");
                if (shrink)
                {
                    failure += "\n" + Shrink(gen, property, tolerance, seed);
                }

                return new PropertyReport(name, i + 1, double.IsNaN(outcome.Error) ? double.PositiveInfinity : outcome.Error, tolerance, failure);
            }

            worst = Math.Max(worst, outcome.Error);
        }

        return new PropertyReport(name, cases, worst, tolerance, null);
    }

    private static Outcome Evaluate<T>(Func<T, Outcome> property, T value)
    {
        try
        {
            return property(value);
        }
#pragma warning disable CA1031 // a crash of the library on a generated case is a failure of the property, reported with the case
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Outcome.Fail($"threw {e.GetType().Name}: {e.Message}");
        }
    }

    private static string Shrink<T>(Gen<T> gen, Func<T, Outcome> property, double tolerance, string seed)
    {
        try
        {
            gen.Sample(
                value =>
                {
                    Outcome outcome = Evaluate(property, value);
                    if (!(outcome.Error <= tolerance))
                    {
                        throw new InvalidOperationException(outcome.Detail);
                    }
                },
                seed: seed,
                iter: ShrinkIterations,
                threads: 1,
                print: value => value?.ToString() ?? "null");
            return "CsCheck did not reproduce the failure from its seed.";
        }
        catch (CsCheckException e)
        {
            return $"smallest failing case CsCheck found in {ShrinkIterations} tries: {e.Message} ({e.InnerException?.Message})";
        }
    }

    /// <summary>FNV-1a of the name: a seed that stays the same on every machine and run (string.GetHashCode does not).</summary>
    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211;
        }

        return hash;
    }
}
