namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise difference with broadcasting: <c>z = x − y</c>, composed as <c>x + (−y)</c>.</summary>
    /// <remarks>Derivatives follow from the composition: <c>dx += dz</c>, <c>dy −= dz</c>, summed over broadcast axes.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast, their broadcast holds more elements than an array can, or the element types differ.</exception>
    public Tensor Subtract(Tensor other)
    {
        CheckOperand(other, nameof(Subtract));
        // So that a mismatch or a result too large is reported as Subtract, not Add, before the negation is allocated.
        _ = Shapes.Broadcast(_shape, other._shape, nameof(Subtract));
        return Add(other.Negate());
    }
}
