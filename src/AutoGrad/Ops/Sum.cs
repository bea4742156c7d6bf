namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a scalar: <c>y = Σᵢ xᵢ</c> (the paper's vector sum reduction).</summary>
    /// <remarks>Backward: the gradient of a sum is a tensor of ones, so <c>dx += dy</c> at every element.</remarks>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Sum()
    {
        CheckAlive(nameof(Sum));
        Tensor y = Zeros([], DType);
        SumInto(y);
        return Record(y, this, static (y, x) => x.AccumulateExpandedGrad(y.OutputGradient));
    }

    /// <summary>The sum along one axis: <c>y[…, j, …] = Σₐ x[…, a, j, …]</c>.</summary>
    /// <remarks>Backward: <c>dx += dy</c> expanded back along the summed axis.</remarks>
    /// <param name="axis">The axis to sum over; negative values count from the last axis.</param>
    /// <param name="keepDims">Keep the summed axis with length 1 instead of removing it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The result holds more elements than an array can (an empty tensor's can, such as [0, 2³¹ − 1]'s along axis 0).</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Sum(int axis, bool keepDims = false)
    {
        int resolved = Shapes.NormalizeAxis(axis, _shape, nameof(Sum));
        (int[] keptShape, int[] resultShape) = Shapes.Reduced(_shape, resolved, keepDims, nameof(Sum));
        CheckAlive(nameof(Sum));
        Tensor sum = Zeros(keptShape, DType);
        SumInto(sum);
        if (keepDims)
        {
            return Record(sum, this, static (y, x) => x.AccumulateExpandedGrad(y.OutputGradient));
        }

        Tensor y = sum.View(resultShape);
        return Record(y, this, (y, x) => x.AccumulateExpandedGrad(y.OutputGradient.Reshape(keptShape)));
    }
}
