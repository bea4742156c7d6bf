using System.Numerics;

namespace AutoGrad.Tests.Kernels;

/// <summary>Deterministic inputs and naive shape arithmetic for the kernel tests, independent of the library.</summary>
internal static class KernelTestData
{
    /// <summary>Small integers in [-<paramref name="range"/>, <paramref name="range"/>]: every sum and product the tests form is exact.</summary>
    public static T[] SmallIntegers<T>(int length, int seed, int range = 8)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked(random.Next(-range, range + 1));
        }

        return values;
    }

    /// <summary>Uniform values in [-1, 1), rounded to <typeparamref name="T"/>.</summary>
    public static T[] Uniform<T>(int length, int seed)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>The number of elements of a row-major array of <paramref name="shape"/> (1 for a scalar).</summary>
    public static int Count(int[] shape)
    {
        int count = 1;
        foreach (int length in shape)
        {
            count *= length;
        }

        return count;
    }

    /// <summary>The NumPy broadcast of two shapes, by the textbook rule (right-aligned; equal, or one of them 1).</summary>
    public static int[] BroadcastShape(int[] x, int[] y)
    {
        int rank = Math.Max(x.Length, y.Length);
        var shape = new int[rank];
        for (int axis = 0; axis < rank; axis++)
        {
            int xLength = DimensionFromRight(x, rank - 1 - axis);
            int yLength = DimensionFromRight(y, rank - 1 - axis);
            if (xLength != yLength && xLength != 1 && yLength != 1)
            {
                throw new ArgumentException($"{Format(x)} and {Format(y)} do not broadcast.");
            }

            shape[axis] = xLength == 1 ? yLength : xLength;
        }

        return shape;
    }

    /// <summary>
    /// The flat index into an operand of <paramref name="operandShape"/> that the output multi-index
    /// <paramref name="outputIndex"/> reads under broadcasting (right-aligned; index 0 along length-1 axes).
    /// </summary>
    public static int BroadcastSourceIndex(int[] operandShape, int[] outputIndex)
    {
        int offset = outputIndex.Length - operandShape.Length;
        int flat = 0;
        for (int axis = 0; axis < operandShape.Length; axis++)
        {
            int index = operandShape[axis] == 1 ? 0 : outputIndex[offset + axis];
            flat = (flat * operandShape[axis]) + index;
        }

        return flat;
    }

    /// <summary>The row-major multi-index of flat position <paramref name="flat"/> in <paramref name="shape"/>.</summary>
    public static int[] MultiIndex(int[] shape, int flat)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }

        return index;
    }

    /// <summary>Formats a shape as <c>[2,3,4]</c> (<c>[]</c> for a scalar).</summary>
    public static string Format(int[] shape) => "[" + string.Join(",", shape) + "]";

    private static int DimensionFromRight(int[] shape, int fromRight)
        => fromRight < shape.Length ? shape[shape.Length - 1 - fromRight] : 1;
}
