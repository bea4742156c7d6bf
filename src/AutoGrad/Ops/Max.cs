using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>The maximum along one axis: <c>y[…, j, …] = maxₐ x[…, a, j, …]</c>; NaN propagates.</summary>
    /// <remarks>
    /// Backward: the whole gradient goes to the element that attained the maximum (the first one, on ties):
    /// <c>dx[…, a*, j, …] += dy[…, j, …]</c>, as PyTorch's <c>max(dim)</c> does.
    /// </remarks>
    /// <param name="axis">The axis to reduce; negative values count from the last axis.</param>
    /// <param name="keepDims">Keep the reduced axis with length 1 instead of removing it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis has length 0, so there is no maximum.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Max(int axis, bool keepDims = false)
    {
        int resolved = Shapes.NormalizeAxis(axis, _shape, nameof(Max));
        CheckAlive(nameof(Max));
        int axisLength = _shape[resolved];
        if (axisLength == 0)
        {
            throw new ArgumentException($"Max: axis {axis} of shape {Shapes.Format(_shape)} is empty and has no maximum.", nameof(axis));
        }

        (int outer, _, int inner) = Shapes.AroundAxis(_shape, resolved);
        Tensor y = Empty(Shapes.Reduced(_shape, resolved, keepDims, nameof(Max)).Result, DType);
        var indices = new int[outer * inner];
        if (DType == DType.Float32)
        {
            Reductions.MaxAlongAxis(AsSpan<float>(), outer, axisLength, inner, y.AsSpan<float>(), indices);
        }
        else
        {
            Reductions.MaxAlongAxis(AsSpan<double>(), outer, axisLength, inner, y.AsSpan<double>(), indices);
        }

        return Record(y, this, (y, x) =>
        {
            if (!x.RequiresGrad)
            {
                return;
            }

            Tensor dx = ZerosLike(x);
            if (x.DType == DType.Float32)
            {
                Scatter(y.OutputGradient.AsSpan<float>(), indices, axisLength, inner, dx.AsSpan<float>());
            }
            else
            {
                Scatter(y.OutputGradient.AsSpan<double>(), indices, axisLength, inner, dx.AsSpan<double>());
            }

            x.AccumulateGrad(dx);
        });

        static void Scatter<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> indices, int axisLength, int inner, Span<T> dx)
        {
            for (int k = 0; k < dy.Length; k++)
            {
                (int o, int i) = Math.DivRem(k, inner);
                dx[(((o * axisLength) + indices[k]) * inner) + i] = dy[k];
            }
        }
    }
}
