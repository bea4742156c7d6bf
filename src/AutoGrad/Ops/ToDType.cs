namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// This tensor converted to <paramref name="dtype"/> (rounded to nearest when narrowing), or this same
    /// tensor when it already has that element type.
    /// </summary>
    /// <remarks>Backward: <c>dx += dy</c> converted back to the input's element type.</remarks>
    public Tensor ToDType(DType dtype)
    {
        if (dtype == DType)
        {
            return this;
        }

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
