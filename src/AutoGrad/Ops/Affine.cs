namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The affine map of a neuron layer over a batch, fused into one op: <c>z = x·Wᵀ + b</c>, with x [N, in]
    /// (or one sample [in]), W [out, in] as in PyTorch's Linear, and b [out] (or null for no bias); z is [N, out] (or [out]).
    /// </summary>
    /// <remarks>
    /// Backward: <c>dx += dz·W</c>, <c>dW += dzᵀ·x</c> (so <c>∂(w·x + b)/∂w = xᵀ</c> for one neuron) and
    /// <c>db += Σₙ dz[n, :]</c> (<c>∂z/∂b = 1</c>), all without materializing a transpose.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not fit together, the result holds more elements than an array can, or the element types differ.</exception>
    public Tensor Affine(Tensor weight, Tensor? bias = null)
    {
        CheckOperand(weight, nameof(Affine));
        bool single = Rank == 1;
        bool fits = Rank is 1 or 2 && weight.Rank == 2 && weight._shape[1] == _shape[^1];
        if (bias is not null)
        {
            CheckOperand(bias, nameof(Affine));
            fits = fits && bias.Rank == 1 && bias._shape[0] == weight._shape[0];
        }

        if (!fits)
        {
            throw new ArgumentException(
                $"Affine: input {Shapes.Format(_shape)}, weight {Shapes.Format(weight._shape)} and bias "
                + $"{(bias is null ? "none" : Shapes.Format(bias._shape))} do not fit; needs input [N, in] or [in], weight [out, in] and bias [out].",
                nameof(weight));
        }

        ReadOnlySpan<int> resultShape = single ? [weight._shape[0]] : [_shape[0], weight._shape[0]];
        _ = bias is null
            ? Shapes.ResultCount(resultShape, nameof(Affine), _shape, weight._shape)
            : Shapes.ResultCount(resultShape, nameof(Affine), _shape, weight._shape, bias._shape);
        Tensor x = single ? View([1, _shape[0]]) : this;
        Tensor z = Product(x, false, weight, true);
        if (bias is not null)
        {
            z.ZipInPlace<AddKernel>(bias);
        }

        Tensor result = single ? z.View([weight._shape[0]]) : z;
        return Record(result, this, weight, bias, static (z, x, w, b) =>
        {
            if (x.Rank == 2)
            {
                Tensor dz = z.OutputGradient;
                x.AccumulateProductGrad(dz, false, w, false);
                w.AccumulateProductGrad(dz, true, x, false);
                b?.AccumulateGrad(dz);
            }
            else
            {
                // One sample: the same products with it as a batch of one row.
                Tensor dz = z.OutputGradient.Reshape(1, w.Shape[0]);
                if (x.RequiresGrad)
                {
                    x.AccumulateGrad(Product(dz, false, w, false).Reshape(x.Shape));
                }

                w.AccumulateProductGrad(dz, true, x.Reshape(1, w.Shape[1]), false);
                b?.AccumulateGrad(z.OutputGradient);
            }
        });
    }
}
