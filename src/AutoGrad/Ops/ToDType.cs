namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// This tensor converted to <paramref name="dtype"/> (rounded to nearest when narrowing), or this same
    /// tensor when it already has that element type.
    /// </summary>
    /// <remarks>Backward: <c>dx += dy</c> converted back to the input's element type.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined element type.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor ToDType(DType dtype)
    {
        if (!DTypes.IsDefined(dtype))
        {
            throw DTypes.Undefined(dtype, $"ToDType (tensor of shape {Shapes.Format(_shape)})");
        }

        if (dtype == DType)
        {
            return this;
        }

        CheckAlive(nameof(ToDType));
        Tensor y = Empty(_shape, dtype);
        if (dtype == DType.Float32)
        {
            TensorPrimitives.ConvertTruncating<double, float>(AsSpan<double>(), y.AsSpan<float>());
        }
        else
        {
            TensorPrimitives.ConvertTruncating<float, double>(AsSpan<float>(), y.AsSpan<double>());
        }

        return Record(y, this, static (y, x) => x.AccumulateGrad(y.OutputGradient.ToDType(x.DType)));
    }
}
