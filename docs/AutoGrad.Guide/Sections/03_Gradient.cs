namespace AutoGrad.Guide;

/// <summary>Section 3: the gradient, the partials of a scalar function of a vector gathered into a vector.</summary>
internal static partial class Sections
{
    public static void Gradient()
    {
        // <snippet Gradient>
        // f and g as functions of one vector v = [x, y]; TakeAlongLastAxis([i]) reads element i as a scalar.
        static Tensor F(Tensor v) => 3 * v.TakeAlongLastAxis([0]).Pow(2) * v.TakeAlongLastAxis([1]);  // 3x²y
        static Tensor G(Tensor v) => (2 * v.TakeAlongLastAxis([0])) + v.TakeAlongLastAxis([1]).Pow(8);  // 2x + y⁸

        Tensor v = Tensor.Create([2.0, 0.5]).RequireGrad();
        F(v).Backward();
        Check.Agree("∇f = [6xy, 3x²]", v.Grad, [6 * 2 * 0.5, 3 * 2 * 2]);

        v.ZeroGrad();  // gradients add up across Backward calls: clear them before the next function
        G(v).Backward();
        Check.Agree("∇g = [2, 8y⁷]", v.Grad, [2, 8 * Math.Pow(0.5, 7)]);
        // </snippet>
    }
}
