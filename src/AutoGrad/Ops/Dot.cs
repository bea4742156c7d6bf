namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>The dot product of two vectors of equal length: <c>y = x · w = Σᵢ xᵢwᵢ</c>, a scalar.</summary>
    /// <remarks>Backward: <c>∂y/∂x = wᵀ</c> and <c>∂y/∂w = xᵀ</c>, so <c>dx += dy · w</c> and <c>dw += dy · x</c>.</remarks>
    /// <exception cref="ArgumentException">An operand is not 1-D, the lengths differ, or the element types differ.</exception>
    public Tensor Dot(Tensor other)
    {
        CheckOperand(other, nameof(Dot));
        if (Rank != 1 || other.Rank != 1 || _shape[0] != other._shape[0])
        {
            throw new ArgumentException(
                $"Dot: needs two 1-D tensors of equal length, got shapes {Shapes.Format(_shape)} and {Shapes.Format(other._shape)}.",
                nameof(other));
        }

        Tensor y = DType == DType.Float32
            ? Scalar(TensorPrimitives.Dot(AsSpan<float>(), other.AsSpan<float>()), DType)
            : Scalar(TensorPrimitives.Dot(AsSpan<double>(), other.AsSpan<double>()), DType);
        return Record(y, this, other, static (y, x, w) =>
        {
            Tensor dy = y.OutputGradient;
            if (x.RequiresGrad)
            {
                x.AccumulateGrad(dy.Multiply(w));
            }

            if (w.RequiresGrad)
            {
                w.AccumulateGrad(dy.Multiply(x));
            }
        });
    }
}
