using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// A copy expanded to <paramref name="shape"/> by NumPy broadcasting (scalar expansion): axes are aligned
    /// from the right, and an axis of length 1 (or a missing leading axis) is repeated.
    /// </summary>
    /// <remarks>Backward: <c>dx += dy</c> summed over the expanded axes (the vector sum reduction).</remarks>
    /// <exception cref="ArgumentException">
    /// This shape does not broadcast to <paramref name="shape"/>, a length is negative, or <paramref name="shape"/> holds more
    /// elements than an array can.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor BroadcastTo(params ReadOnlySpan<int> shape)
    {
        Shapes.CheckLengths(shape, nameof(shape), nameof(BroadcastTo)); // before they reach the message below
        if (!Shapes.ExpandsTo(_shape, shape))
        {
            throw new ArgumentException(
                $"BroadcastTo: shape {Shapes.Format(_shape)} cannot be expanded to {Shapes.Format(shape)} "
                + "(aligned from the right, each length must equal the target's or be 1).",
                nameof(shape));
        }

        int[] target = shape.ToArray();
        _ = Shapes.ResultCount(target, nameof(BroadcastTo), _shape);
        CheckAlive(nameof(BroadcastTo));
        Tensor y = Empty(target, DType);
        if (DType == DType.Float32)
        {
            ZipCore<float, CopyFirstKernel>(this, this, y);
        }
        else
        {
            ZipCore<double, CopyFirstKernel>(this, this, y);
        }

        return Record(y, this, static (y, x) => x.AccumulateGrad(y.OutputGradient));
    }

    /// <summary><c>z = x</c>: the broadcast loop with its second operand ignored is an expanding copy.</summary>
    private readonly struct CopyFirstKernel : IBinaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => x.CopyTo(z);

        public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z)
            where T : IFloatingPointIeee754<T> => x.CopyTo(z);

        public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z)
            where T : IFloatingPointIeee754<T> => z.Fill(x);
    }
}
