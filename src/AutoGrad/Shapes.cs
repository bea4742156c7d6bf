using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace AutoGrad;

/// <summary>
/// Shapes in messages (<see cref="Format"/>, public so that layers built on the library word their errors as the ops do);
/// inside the library, also the shape arithmetic of the factories and ops: validation, broadcasting, axes.
/// </summary>
public static class Shapes
{
    /// <summary>Formats a shape as PyTorch prints a size: <c>[2, 3]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>The number of elements of <paramref name="shape"/>, after checking every length is non-negative.</summary>
    /// <exception cref="ArgumentException">A length is negative, or the elements would not fit in an array; the message names <paramref name="op"/> when given.</exception>
    internal static int ElementCount(ReadOnlySpan<int> shape, string paramName = "shape", string? op = null)
    {
        // Every new tensor is counted here: the passing path is kept small enough to inline, the messages elsewhere.
        long count = 1;
        foreach (int length in shape)
        {
            count *= length; // at most Array.MaxLength · int.MaxValue: no overflow of a long
            if (length < 0 || count > Array.MaxLength)
            {
                ThrowBadShape(shape, paramName, op);
            }
        }

        return (int)count;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadShape(ReadOnlySpan<int> shape, string paramName, string? op)
    {
        string what = op is null ? "Shape" : $"{op}: shape";
        bool negative = false;
        foreach (int length in shape)
        {
            negative |= length < 0;
        }

        string problem = negative ? "has a negative length" : "has more elements than an array can hold";
        throw new ArgumentException($"{what} {Format(shape)} {problem}.", paramName);
    }

    /// <summary>
    /// The NumPy broadcast of two shapes: aligned from the right, each pair of lengths must be equal
    /// or contain a 1, and the result takes the larger.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast; the message names the op and both shapes.</exception>
    internal static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        if (a.SequenceEqual(b))
        {
            return a.ToArray();
        }

        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int la = i <= a.Length ? a[^i] : 1;
            int lb = i <= b.Length ? b[^i] : 1;
            if (la != lb && la != 1 && lb != 1)
            {
                throw new ArgumentException(
                    $"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together "
                    + $"(axis {-i} has lengths {la} and {lb}; lengths must match or one must be 1).");
            }

            result[rank - i] = la == 1 ? lb : la;
        }

        return result;
    }

    /// <summary>True when <paramref name="shape"/> broadcasts to exactly <paramref name="target"/> (each axis equal or 1, aligned from the right).</summary>
    internal static bool ExpandsTo(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        if (shape.Length > target.Length)
        {
            return false;
        }

        for (int i = 1; i <= shape.Length; i++)
        {
            if (shape[^i] != target[^i] && shape[^i] != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Resolves an axis that may count from the end (<c>-1</c> is the last) and checks its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside [−rank, rank); the message names <paramref name="op"/> and the shape.</exception>
    internal static int NormalizeAxis(int axis, ReadOnlySpan<int> shape, string op)
    {
        int rank = shape.Length;
        int resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 0 || resolved >= rank)
        {
            throw new ArgumentOutOfRangeException(
                nameof(axis), axis, $"{op}: axis {axis} is out of range for a tensor of shape {Format(shape)} (rank {rank}).");
        }

        return resolved;
    }
}
