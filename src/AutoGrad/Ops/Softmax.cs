using AutoGrad.Kernels;

namespace AutoGrad;

// Softmax and LogSoftmax share one file: the same kernel computes both, and one recording serves both, differing
// only in the log flag; each public method states its own formulas.
public sealed partial class Tensor
{
    /// <summary>
    /// The softmax along one axis: <c>yᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m)</c> with <c>m = maxⱼ xⱼ</c>, which is
    /// <c>exp(xᵢ) / Σⱼ exp(xⱼ)</c> computed without overflow (logits of ±1000 are fine).
    /// </summary>
    /// <remarks>
    /// Backward, from the saved output: <c>dx += y ⊙ (dy − Σⱼ dyⱼ yⱼ)</c>, the product of dy with the Jacobian
    /// <c>∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ)</c>, the sum taken along the axis.
    /// </remarks>
    /// <param name="axis">The axis whose entries sum to 1; negative values count from the last axis.</param>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Softmax(int axis = -1) => SoftmaxAlong(axis, log: false, nameof(Softmax));

    /// <summary>
    /// The logarithm of the softmax along one axis: <c>yᵢ = (xᵢ − m) − log Σⱼ exp(xⱼ − m)</c> with <c>m = maxⱼ xⱼ</c>,
    /// so no exponential overflows and no probability underflows to a log of 0 (logits of ±1000 give finite results).
    /// </summary>
    /// <remarks>
    /// Backward, from the saved output: <c>dx += dy − exp(y) ⊙ Σⱼ dyⱼ</c>, since <c>∂yᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ</c>
    /// and <c>softmax(x) = exp(y)</c>; the sum is taken along the axis.
    /// </remarks>
    /// <param name="axis">The axis to normalize along; negative values count from the last axis.</param>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor LogSoftmax(int axis = -1) => SoftmaxAlong(axis, log: true, nameof(LogSoftmax));

    /// <summary>Softmax or log-softmax along <paramref name="axis"/>, recorded with its backward rule.</summary>
    private Tensor SoftmaxAlong(int axis, bool log, string op)
    {
        int resolved = Shapes.NormalizeAxis(axis, _shape, op);
        CheckAlive(op);
        (int outer, int length, int inner) = Shapes.AroundAxis(_shape, resolved);
        Tensor y = Empty(_shape, DType);
        if (DType == DType.Float32)
        {
            Kernels.Softmax.Forward(AsSpan<float>(), y.AsSpan<float>(), outer, length, inner, log, new float[inner], new float[inner]);
        }
        else
        {
            Kernels.Softmax.Forward(AsSpan<double>(), y.AsSpan<double>(), outer, length, inner, log, new double[inner], new double[inner]);
        }

        return Record(y, this, (y, x) =>
        {
            Tensor dx = Empty(x._shape, x.DType);
            if (x.DType == DType.Float32)
            {
                Kernels.Softmax.Backward(y.AsSpan<float>(), y.OutputGradient.AsSpan<float>(), dx.AsSpan<float>(), outer, length, inner, log, new float[inner]);
            }
            else
            {
                Kernels.Softmax.Backward(y.AsSpan<double>(), y.OutputGradient.AsSpan<double>(), dx.AsSpan<double>(), outer, length, inner, log, new double[inner]);
            }

            x.AccumulateGrad(dx);
        }, op);
    }
}
