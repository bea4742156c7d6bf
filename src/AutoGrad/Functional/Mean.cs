namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>The mean of all elements, as a scalar: <c>y = (1/n) Σᵢ xᵢ</c>, composed as a sum times <c>1/n</c>.</summary>
    /// <remarks>Derivative: <c>dx += dy / n</c> at every element. The mean of no elements is NaN.</remarks>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Mean()
    {
        // Sum checks this too, but its message would name Sum, an op the caller never called.
        CheckAlive(nameof(Mean));
        return Sum().Multiply(Scalar(1.0 / ElementCount, DType));
    }

    /// <summary>The mean along one axis, composed as <see cref="Sum(int, bool)"/> times <c>1/length</c>.</summary>
    /// <param name="axis">The axis to average over; negative values count from the last axis.</param>
    /// <param name="keepDims">Keep the averaged axis with length 1 instead of removing it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The result holds more elements than an array can (as for <see cref="Sum(int, bool)"/>).</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Mean(int axis, bool keepDims = false)
    {
        // As in Mean(): checked here so that the messages name Mean, not Sum.
        int resolved = Shapes.NormalizeAxis(axis, _shape, nameof(Mean));
        _ = Shapes.Reduced(_shape, resolved, keepDims, nameof(Mean));
        CheckAlive(nameof(Mean));
        int length = _shape[resolved];
        return Sum(axis, keepDims).Multiply(Scalar(1.0 / length, DType));
    }
}
