namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise difference with broadcasting: <c>z = x − y</c>, composed as <c>x + (−y)</c>.</summary>
    /// <remarks>Derivatives follow from the composition: <c>dx += dz</c>, <c>dy −= dz</c>, summed over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast or the element types differ.</exception>
    public Tensor Subtract(Tensor other)
    {
        CheckOperand(other, nameof(Subtract));
        _ = Shapes.Broadcast(_shape, other._shape, nameof(Subtract)); // so a mismatch is reported as Subtract, not Add
        return Add(other.Negate());
    }
}
