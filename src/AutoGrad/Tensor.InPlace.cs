using AutoGrad.Autodiff;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>this += scale · other</c>, in place and unrecorded: the update step of an optimizer
    /// (<c>w.AddInPlace(w.Grad, -learningRate)</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    /// <exception cref="InvalidOperationException">
    /// This tensor was produced by an op, or requires a gradient while ops are being recorded: changing it
    /// would silently falsify gradients. Update parameters inside <see cref="NoGrad"/>.
    /// </exception>
    public void AddInPlace(Tensor other, double scale = 1)
    {
        CheckOperand(other, nameof(AddInPlace));
        if (!other.Shape.SequenceEqual(Shape))
        {
            throw new ArgumentException(
                $"AddInPlace: shapes {Shapes.Format(Shape)} and {Shapes.Format(other.Shape)} differ; an in-place update needs equal shapes.",
                nameof(other));
        }

        if (!IsLeaf || (RequiresGrad && GradMode.IsEnabled))
        {
            throw new InvalidOperationException(
                "AddInPlace: a tensor that takes part in a recorded computation cannot change in place; "
                + "update parameters inside a Tensor.NoGrad() scope.");
        }

        MarkModified();
        if (DType == DType.Float32)
        {
            Span<float> values = AsSpan<float>();
            TensorPrimitives.MultiplyAdd(other.AsSpan<float>(), (float)scale, values, values);
        }
        else
        {
            Span<double> values = AsSpan<double>();
            TensorPrimitives.MultiplyAdd(other.AsSpan<double>(), scale, values, values);
        }
    }
}
