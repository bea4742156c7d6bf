namespace AutoGrad.Guide;

/// <summary>Section 2: partial derivatives of f(x, y) = 3x²y.</summary>
internal static partial class Sections
{
    public static void PartialDerivatives()
    {
        // <snippet PartialDerivatives>
        Tensor x = Tensor.Scalar(2, DType.Float64).RequireGrad();
        Tensor y = Tensor.Scalar(0.5, DType.Float64).RequireGrad();
        Tensor f = 3 * x.Pow(2) * y;  // f(x, y) = 3x²y
        f.Backward();                 // one pass gives both partials: ∂f/∂x into x.Grad, ∂f/∂y into y.Grad
        Check.Agree("∂f/∂x = 6xy at (2, 0.5)", x.Grad, 6 * 2 * 0.5);
        Check.Agree("∂f/∂y = 3x² at (2, 0.5)", y.Grad, 3 * 2 * 2);
        // </snippet>
    }
}
