using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise exponential: <c>y = eˣ</c> (float32 within 2 ulp; see <see cref="ExpOperator"/>).</summary>
    /// <remarks>Backward, from the saved output in one pass: <c>dx += dy · y</c>, one fused multiply-add per element.</remarks>
    public Tensor Exp()
    {
        Tensor y = Map<UnaryOperatorKernel<ExpOperator>>(nameof(Exp));
        return Record(y, this, static (y, x) => x.AccumulateGrad<MultiplyAddOperator>(y.OutputGradient, y));
    }
}
