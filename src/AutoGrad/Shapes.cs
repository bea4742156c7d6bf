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

    /// <summary>
    /// The number of elements of <paramref name="shape"/>, after checking every length is non-negative: 0 when any
    /// length is 0, whatever the others and their order (as in PyTorch).
    /// </summary>
    /// <exception cref="ArgumentException">A length is negative, or the elements would not fit in an array; the message names <paramref name="op"/> when given.</exception>
    internal static int ElementCount(ReadOnlySpan<int> shape, string paramName = "shape", string? op = null)
    {
        // Every new tensor is counted here: the passing path is kept small enough to inline, the rest elsewhere.
        long count = 1;
        foreach (int length in shape)
        {
            count *= length; // at most Array.MaxLength · int.MaxValue: no overflow of a long
            if (length < 0 || count > Array.MaxLength)
            {
                return CountOrThrow(shape, paramName, op);
            }
        }

        return (int)count;
    }

    /// <summary>
    /// The element count of the result an op computed from its operands' shapes, checked before anything is allocated for
    /// it: the one place that words a result too large for an array, naming <paramref name="op"/> and every operand's shape.
    /// </summary>
    /// <exception cref="ArgumentException">The result holds more elements than an array can.</exception>
    internal static int ResultCount(ReadOnlySpan<int> result, string op, params ReadOnlySpan<int[]> operands)
    {
        long count = CappedCount(result);
        if (count > Array.MaxLength)
        {
            ThrowTooLarge(result, op, operands);
        }

        return (int)count;
    }

    /// <summary>
    /// The product of the non-negative lengths of <paramref name="shape"/>, capped at <c>Array.MaxLength + 1</c> so that it
    /// never overflows; 0 when any length is 0, even after lengths whose product passes the cap.
    /// </summary>
    internal static long CappedCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int length in shape)
        {
            count = Math.Min(count * length, Array.MaxLength + 1L);
        }

        return count;
    }

    /// <summary>
    /// The lengths of <paramref name="shape"/> viewed as <c>[outer, length, inner]</c> around <paramref name="axis"/>, as
    /// reduction and softmax kernels walk it; an empty shape is <c>[0, length, 0]</c>, so that no kernel loops over a long
    /// axis of empty blocks or sizes scratch by a product that exists only for lengths multiplied by 0.
    /// </summary>
    internal static (int Outer, int Length, int Inner) AroundAxis(ReadOnlySpan<int> shape, int axis)
    {
        if (CappedCount(shape) == 0)
        {
            return (0, shape[axis], 0);
        }

        return ((int)CappedCount(shape[..axis]), shape[axis], (int)CappedCount(shape[(axis + 1)..]));
    }

    /// <summary>
    /// The shapes of a reduction of <paramref name="shape"/> along <paramref name="axis"/> (already resolved): with the axis
    /// kept as length 1, and as the op returns it under <paramref name="keepDims"/>; checked to fit in an array.
    /// </summary>
    /// <exception cref="ArgumentException">The result holds more elements than an array can (only an empty tensor's can).</exception>
    internal static (int[] Kept, int[] Result) Reduced(int[] shape, int axis, bool keepDims, string op)
    {
        int[] kept = [.. shape];
        kept[axis] = 1;
        int[] result = keepDims ? kept : [.. shape[..axis], .. shape[(axis + 1)..]];
        _ = ResultCount(result, op, shape);
        return (kept, result);
    }

    /// <summary>Throws unless every length of <paramref name="shape"/> is non-negative.</summary>
    /// <exception cref="ArgumentException">A length is negative; the message names <paramref name="op"/> when given.</exception>
    internal static void CheckLengths(ReadOnlySpan<int> shape, string paramName, string? op)
    {
        if (shape.IndexOfAnyInRange(int.MinValue, -1) >= 0)
        {
            throw new ArgumentException($"{(op is null ? "Shape" : $"{op}: shape")} {Format(shape)} has a negative length.", paramName);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CountOrThrow(ReadOnlySpan<int> shape, string paramName, string? op)
    {
        CheckLengths(shape, paramName, op);
        long count = CappedCount(shape);
        if (count > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{(op is null ? "Shape" : $"{op}: shape")} {Format(shape)} has more elements than an array can hold ({Array.MaxLength}).", paramName);
        }

        return (int)count;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(ReadOnlySpan<int> result, string op, ReadOnlySpan<int[]> operands)
    {
        var shapes = new string[operands.Length];
        for (int i = 0; i < operands.Length; i++)
        {
            shapes[i] = Format(operands[i]);
        }

        string operandShapes = shapes.Length == 1 ? $"shape {shapes[0]} gives" : $"shapes {string.Join(", ", shapes[..^1])} and {shapes[^1]} give";
        throw new ArgumentException($"{op}: {operandShapes} a result of shape {Format(result)}, which has more elements than an array can hold ({Array.MaxLength}).");
    }

    /// <summary>
    /// The NumPy broadcast of two shapes: aligned from the right, each pair of lengths must be equal
    /// or contain a 1, and the result takes the larger.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The shapes do not broadcast, or their broadcast holds more elements than an array can; the message names the op and both shapes.
    /// </exception>
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

        if (CappedCount(result) > Array.MaxLength)
        {
            ThrowTooLarge(result, op, [a.ToArray(), b.ToArray()]);
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
