using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using static AutoGrad.Tests.Kernels.OperatorTestData;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// What the remainder sweeps share: the lengths, guarded destinations that show a write outside the span, and a list
/// of failures that one test case collects over all its lengths and shapes before it asserts once.
/// </summary>
internal static class RemainderSweep
{
    /// <summary>
    /// The longest length swept one by one: 2·128 + 3. The widest block any kernel here runs over a span is
    /// TensorPrimitives' 8 × <c>Vector512&lt;float&gt;</c> = 128 elements (our own drivers use one vector, 16), so
    /// 0..259 holds every remainder of every block twice, and a few lengths past that.
    /// </summary>
    public const int MaxLength = (2 * 128) + 3;

    /// <summary>Guard elements before a destination.</summary>
    public const int Lead = 3;

    /// <summary>Guard elements after a destination: more than one 512-bit vector of float32.</summary>
    public const int Trail = 17;

    /// <summary>Every length 0..<see cref="MaxLength"/>.</summary>
    public static IEnumerable<int> EveryLength => Enumerable.Range(0, MaxLength + 1);

    /// <summary>What guard elements hold: no kernel in the sweeps produces it from their inputs.</summary>
    public static T Sentinel<T>()
        where T : IFloatingPointIeee754<T>
        => T.CreateChecked(-12345.25);

    /// <summary>A buffer of <see cref="Lead"/> guards, <paramref name="values"/> (or <paramref name="length"/> NaNs), and <see cref="Trail"/> guards.</summary>
    public static T[] Guarded<T>(int length, T[]? values = null)
        where T : IFloatingPointIeee754<T>
    {
        T[] buffer = new T[Lead + length + Trail];
        buffer.AsSpan().Fill(Sentinel<T>());
        Span<T> inside = buffer.AsSpan(Lead, length);
        if (values is null)
        {
            inside.Fill(T.NaN);
        }
        else
        {
            values.AsSpan(0, length).CopyTo(inside);
        }

        return buffer;
    }

    /// <summary>The span between the guards of a buffer made by <see cref="Guarded{T}"/>.</summary>
    public static Span<T> Inside<T>(T[] guarded) => guarded.AsSpan(Lead, guarded.Length - Lead - Trail);

    /// <summary>
    /// Adds to <paramref name="failures"/> (a few per call) the guards of <paramref name="guarded"/> that changed and
    /// the elements inside that fail <paramref name="isRight"/>, each with <paramref name="context"/>.
    /// </summary>
    public static void Check<T>(List<string> failures, string context, T[] guarded, Func<int, T, bool> isRight, Func<int, string> describe)
        where T : IFloatingPointIeee754<T>
    {
        int length = guarded.Length - Lead - Trail;
        var found = new List<string>();
        for (int i = 0; i < guarded.Length && found.Count < 3; i++)
        {
            bool isGuard = i < Lead || i >= Lead + length;
            if (isGuard && !SameBits(guarded[i], Sentinel<T>()))
            {
                found.Add($"wrote {OperatorTestData.Show(guarded[i])} at {i - Lead}, outside the span");
            }
            else if (!isGuard && !isRight(i - Lead, guarded[i]))
            {
                found.Add($"[{i - Lead}] got {OperatorTestData.Show(guarded[i])}, {describe(i - Lead)}");
            }
        }

        Add(failures, context, found);
    }

    /// <summary>Adds the first few elements where <paramref name="actual"/> and <paramref name="expected"/> differ in bits (any NaN matching any NaN).</summary>
    public static void CheckBits<T>(List<string> failures, string context, ReadOnlySpan<T> actual, ReadOnlySpan<T> expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (MemoryMarshal.AsBytes(actual).SequenceEqual(MemoryMarshal.AsBytes(expected)))
        {
            return;
        }

        var found = new List<string>();
        for (int i = 0; i < actual.Length && found.Count < 3; i++)
        {
            if (!SameBits(actual[i], expected[i]))
            {
                found.Add($"[{i}] got {OperatorTestData.Show(actual[i])}, expected {OperatorTestData.Show(expected[i])}");
            }
        }

        Add(failures, context, found);
    }

    /// <summary>Whether <paramref name="actual"/> is within <paramref name="bound"/> of <paramref name="expected"/> (NaN only where the reference is NaN).</summary>
    public static bool IsWithin<T>(T actual, double expected, double bound)
        where T : IFloatingPointIeee754<T>
        => double.IsNaN(expected) ? T.IsNaN(actual) : Math.Abs(double.CreateTruncating(actual) - expected) <= bound;

    /// <summary>A float64 value for failure messages.</summary>
    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The operand as float64.</summary>
    public static double D<T>(T value)
        where T : IFloatingPointIeee754<T>
        => double.CreateTruncating(value);

    private static void Add(List<string> failures, string context, List<string> found)
    {
        // Enough to see the pattern; a broken tail fails at hundreds of lengths.
        foreach (string failure in found)
        {
            if (failures.Count < 40)
            {
                failures.Add($"{context}: {failure}");
            }
        }
    }
}
