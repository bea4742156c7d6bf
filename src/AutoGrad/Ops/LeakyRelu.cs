namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Leaky rectified linear unit: <c>y = x &gt; 0 ? x : negativeSlope · x</c>.</summary>
    /// <remarks>Backward, from the saved input: <c>dx += x &gt; 0 ? dy : negativeSlope · dy</c> (at 0 the slope is <paramref name="negativeSlope"/>, as in PyTorch).</remarks>
    /// <param name="negativeSlope">The slope for negative inputs; PyTorch's default is 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="negativeSlope"/> is NaN or infinite.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor LeakyRelu(double negativeSlope = 0.01)
    {
        if (!double.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(
                nameof(negativeSlope), negativeSlope, $"LeakyRelu: the negative slope must be finite, got {negativeSlope} (tensor of shape {Shapes.Format(_shape)}).");
        }

        CheckAlive(nameof(LeakyRelu));
        Tensor y = Empty(_shape, DType);
        if (DType == DType.Float32)
        {
            Forward(AsSpan<float>(), (float)negativeSlope, y.AsSpan<float>());
        }
        else
        {
            Forward(AsSpan<double>(), negativeSlope, y.AsSpan<double>());
        }

        return Record(y, this, (y, x) =>
        {
            if (!x.RequiresGrad)
            {
                return;
            }

            Tensor dx = Empty(x._shape, x.DType);
            if (x.DType == DType.Float32)
            {
                Backward(y.OutputGradient.AsSpan<float>(), x.AsSpan<float>(), (float)negativeSlope, dx.AsSpan<float>());
            }
            else
            {
                Backward(y.OutputGradient.AsSpan<double>(), x.AsSpan<double>(), negativeSlope, dx.AsSpan<double>());
            }

            x.AccumulateGrad(dx);
        });

        static void Forward<T>(ReadOnlySpan<T> x, T slope, Span<T> y)
            where T : IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = x[i] > T.Zero ? x[i] : slope * x[i];
            }
        }

        static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, T slope, Span<T> dx)
            where T : IFloatingPointIeee754<T>
        {
            for (int i = 0; i < dx.Length; i++)
            {
                dx[i] = x[i] > T.Zero ? dy[i] : slope * dy[i];
            }
        }
    }
}
