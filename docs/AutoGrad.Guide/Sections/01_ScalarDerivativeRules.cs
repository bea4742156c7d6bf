namespace AutoGrad.Guide;

/// <summary>Section 1: the derivative rules of single-variable calculus, each checked against AutoGrad's Backward.</summary>
internal static partial class Sections
{
    public static void FirstDerivative()
    {
        // <snippet FirstDerivative>
        Tensor x = Tensor.Scalar(3, DType.Float64).RequireGrad();  // a leaf: we want derivatives with respect to it
        Tensor y = x * x;                                          // y = x², recorded as it runs
        y.Backward();                                              // dy/dx, added into x.Grad
        Console.WriteLine(x.Grad);
        Check.Agree("d(x²)/dx = 2x at x = 3", x.Grad, 2 * 3.0);
        // </snippet>
    }

    public static void ScalarRules()
    {
        // <snippet ScalarRules>
        // f′(a) by AutoGrad: one Backward through f from a fresh leaf holding a.
        static double Derivative(Func<Tensor, Tensor> f, double a)
        {
            Tensor x = Tensor.Scalar(a, DType.Float64).RequireGrad();
            f(x).Backward();
            return x.Grad!.Item();
        }

        const double A = 0.5;
        Check.Agree("power    d(x³)/dx = 3x²", Derivative(x => x.Pow(3), A), 3 * A * A);
        Check.Agree("times c  d(5x)/dx = 5", Derivative(x => 5 * x, A), 5);
        Check.Agree("sum      d(x² + 3x)/dx = 2x + 3", Derivative(x => x.Pow(2) + (3 * x), A), (2 * A) + 3);
        Check.Agree("exp      d(eˣ)/dx = eˣ", Derivative(x => x.Exp(), A), Math.Exp(A));
        Check.Agree("log      d(ln x)/dx = 1/x", Derivative(x => x.Log(), A), 1 / A);
        Check.Agree("sin      d(sin x)/dx = cos x", Derivative(x => x.Sin(), A), Math.Cos(A));
        Check.Agree("cos      d(cos x)/dx = −sin x", Derivative(x => x.Cos(), A), -Math.Sin(A));
        Check.Agree("tanh     d(tanh x)/dx = 1 − tanh²x", Derivative(x => x.Tanh(), A), 1 - (Math.Tanh(A) * Math.Tanh(A)));
        Check.Agree("product  d(x²·eˣ)/dx = 2x·eˣ + x²·eˣ", Derivative(x => x.Pow(2) * x.Exp(), A),
            (2 * A * Math.Exp(A)) + (A * A * Math.Exp(A)));
        // </snippet>
    }
}
