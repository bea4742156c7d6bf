using System.Globalization;
using CsCheck;

namespace AutoGrad.Tests.Properties;

/// <summary>Where an op's inputs may lie.</summary>
internal enum Domain
{
    /// <summary>Both signs, every |x| ≥ 0.1 and all values distinct: away from the kinks of ReLU and Abs and from ties of Max.</summary>
    Signed,

    /// <summary>[0.2, 2]: safe for Log, Sqrt, divisors, bases of Pow and negative powers.</summary>
    Positive,
}

/// <summary>A generated tensor: its shape and float64 values, printable, made into a fresh tensor on demand.</summary>
internal sealed record TensorData(int[] Shape, double[] Values)
{
    public Tensor ToTensor(DType dtype = DType.Float64)
    {
        Tensor tensor = Tensor.Create(Values, Shape);
        return dtype == DType.Float64 ? tensor : tensor.ToDType(dtype);
    }

    /// <summary>The same shape with every value rounded to float32 (and kept as float64), so both precisions start from equal inputs.</summary>
    public TensorData RoundedToFloat32() => new(Shape, [.. Values.Select(v => (double)(float)v)]);

    public override string ToString()
        => $"{Shapes.Format(Shape)} {{{string.Join(", ", Values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}}}";
}

/// <summary>CsCheck generators of shapes and values small enough for full finite-difference Jacobians.</summary>
internal static class Generators
{
    /// <summary>At most this many elements per generated input: a full Jacobian stays cheap.</summary>
    public const int MaxElements = 24;

    /// <summary>The largest extent of an axis.</summary>
    public const int MaxExtent = 4;

    /// <summary>±2..±40: times 0.05, the distinct signed values before jitter.</summary>
    private static readonly int[] SignedGrid = [.. Enumerable.Range(2, 39).SelectMany(k => new[] { k, -k })];

    /// <summary>Shapes of rank <paramref name="minRank"/>..<paramref name="maxRank"/>, extents 1..4 (size-1 axes included), at most 24 elements.</summary>
    public static Gen<int[]> Shape(int minRank = 0, int maxRank = 4)
        => Gen.Int[minRank, maxRank]
            .SelectMany(rank => Gen.Int[1, MaxExtent].Array[rank])
            .Where(shape => Shapes.ElementCount(shape) <= MaxElements);

    /// <summary>Shapes of rank <paramref name="minRank"/> (at least 1) to <paramref name="maxRank"/> with one or more axes of length 0.</summary>
    public static Gen<int[]> EmptyShape(int minRank = 1, int maxRank = 4)
        => from shape in Shape(Math.Max(1, minRank), maxRank)
           from zeros in Gen.Bool.Array[shape.Length]
           from first in Gen.Int[0, shape.Length - 1]
           select shape.Select((extent, axis) => axis == first || zeros[axis] ? 0 : extent).ToArray();

    /// <summary>A shape that broadcasts to <paramref name="shape"/>: some leading axes dropped, then each axis set to 1 with probability 1/3.</summary>
    public static Gen<int[]> BroadcastableTo(int[] shape)
        => from drop in Gen.Int[0, shape.Length]
           from ones in Gen.Int[0, 2].Array[shape.Length - drop]
           select shape[drop..].Select((extent, axis) => ones[axis] == 0 ? 1 : extent).ToArray();

    /// <summary>
    /// Two shapes that broadcast together, each derived from a common shape by <see cref="BroadcastableTo"/>, so either
    /// may be the larger, and [3,1] meets [1,4] as often as [2,3,4] meets [4].
    /// </summary>
    public static Gen<(int[] Left, int[] Right)> BroadcastPair(Gen<int[]> common)
        => from shape in common
           from left in BroadcastableTo(shape)
           from right in BroadcastableTo(shape)
           select (left, right);

    /// <summary><paramref name="count"/> values from <paramref name="domain"/>.</summary>
    public static Gen<double[]> Values(int count, Domain domain)
        => domain == Domain.Positive ? Uniform(0.2, 2).Array[count] : DistinctSigned(count);

    /// <summary>
    /// Uniform on [<paramref name="low"/>, <paramref name="high"/>], on a grid of 2³⁰ points. Not <c>Gen.Double[low, high]</c>:
    /// that draws round numbers (the ends, 1, 0.5, 1/3, ...) about a third of the time, and round inputs meet round constants
    /// exactly (2 − x at x = 2, x + y at y = −x), putting ReLU and Abs right on their kinks.
    /// </summary>
    public static Gen<double> Uniform(double low, double high)
        => Gen.Int[0, 1 << 30].Select(i => low + ((high - low) * i / (1 << 30)));

    /// <summary>A tensor of the given shape with values from <paramref name="domain"/>.</summary>
    public static Gen<TensorData> Tensor(int[] shape, Domain domain)
        => Values(Shapes.ElementCount(shape), domain).Select(values => new TensorData(shape, values));

    /// <summary>
    /// Distinct values with 0.1 ≤ |x| ≤ 2.01: distinct points of a 0.05 grid, each moved by less than 0.01, so any two
    /// differ by more than 0.04, far beyond the finite-difference step; no ties for Max, Maximum and Minimum.
    /// </summary>
    public static Gen<double[]> DistinctSigned(int count)
    {
        if (count > SignedGrid.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"at most {SignedGrid.Length} distinct values");
        }

        return from grid in Gen.Const(() => (int[])SignedGrid.Clone()).Shuffle(count)
               from jitter in Uniform(0, 0.01).Array[count]
               select grid.Select((k, i) => (k * 0.05) + (Math.Sign(k) * jitter[i])).ToArray();
    }

    /// <summary>Distinct signed values for two tensors at once, so no element of one ties with an element of the other.</summary>
    public static Gen<(TensorData Left, TensorData Right)> DistinctPair(int[] left, int[] right)
    {
        int n = Shapes.ElementCount(left);
        return DistinctSigned(n + Shapes.ElementCount(right))
            .Select(values => (new TensorData(left, values[..n]), new TensorData(right, values[n..])));
    }
}
