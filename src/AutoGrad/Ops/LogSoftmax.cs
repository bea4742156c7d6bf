namespace AutoGrad;

public sealed partial class Tensor
{
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
    public Tensor LogSoftmax(int axis = -1) => SoftmaxAlong(axis, log: true, nameof(LogSoftmax));
}
