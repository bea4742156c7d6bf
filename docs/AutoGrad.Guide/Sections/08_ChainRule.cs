namespace AutoGrad.Guide;

/// <summary>Section 8: the chain rule, for one variable and then for vectors as a product of Jacobians.</summary>
internal static partial class Sections
{
    public static void SingleVariableChainRule()
    {
        // <snippet SingleVariableChainRule>
        const double A = 0.8;
        Tensor x = Tensor.Scalar(A, DType.Float64).RequireGrad();
        Tensor u = x.Pow(2);  // inner: u = x²
        u.RetainGrad();       // keep dy/du, which Backward drops for tensors that are not leaves
        Tensor y = u.Sin();   // outer: y = sin(u)
        y.Backward();

        double dyDu = Math.Cos(A * A);  // sin′(u) = cos u, at u = x²
        double duDx = 2 * A;
        Check.Agree("dy/du = cos(x²)", u.Grad, dyDu);
        Check.Agree("dy/dx = dy/du · du/dx", x.Grad, dyDu * duDx);
        // </snippet>
    }

    public static void VectorChainRule()
    {
        // <snippet VectorChainRule>
        // The paper's example: g(x) = [x², 3x] for a scalar x, then f(g) = [ln g₁, sin g₂].
        static Tensor G(Tensor x) => (x.Pow(2) * Tensor.Create([1.0, 0.0])) + (3 * x * Tensor.Create([0.0, 1.0]));
        static Tensor F(Tensor g) => (g.Log() * Tensor.Create([1.0, 0.0])) + (g.Sin() * Tensor.Create([0.0, 1.0]));

        const double A = 0.7;
        Tensor x = Tensor.Scalar(A, DType.Float64);
        Tensor dgDx = Tensor.Jacobian(G, x);             // 2×1
        Tensor dfDg = Tensor.Jacobian(F, G(x));          // 2×2, at g = [x², 3x]
        Tensor dyDx = Tensor.Jacobian(v => F(G(v)), x);  // 2×1: y = f(g(x)) in one go
        Console.WriteLine(dyDx);

        // By hand: ∂g/∂x = [2x, 3]ᵀ, ∂f/∂g = diag(1/g₁, cos g₂), and their product [2x/x², 3cos(3x)]ᵀ.
        Check.Agree("∂g/∂x = [2x, 3]ᵀ", dgDx, new double[,] { { 2 * A }, { 3 } });
        Check.Agree("∂f/∂g = diag(1/x², cos 3x)", dfDg, new double[,] { { 1 / (A * A), 0 }, { 0, Math.Cos(3 * A) } });
        Check.Agree("∂y/∂x = [2/x, 3cos(3x)]ᵀ", dyDx, new double[,] { { 2 / A }, { 3 * Math.Cos(3 * A) } });
        // </snippet>
    }

    public static void LayerChainRule()
    {
        // <snippet LayerChainRule>
        // y = f(g(x)) with g(x) = W·x (ℝ³ → ℝ²) and f(g) = tanh(g), element by element.
        double[,] weights = { { 1.0, -0.5, 0.25 }, { 0.5, 2.0, -1.0 } };
        double[] input = [0.3, -0.2, 0.6];
        Tensor w = Tensor.Create(weights);
        Tensor jacobian = Tensor.Jacobian(x => w.MatMul(x).Tanh(), Tensor.Create(input));
        Console.WriteLine(jacobian);

        // By hand, ∂y/∂x = ∂f/∂g · ∂g/∂x = diag(1 − tanh²(gᵢ)) · W: row i of W times 1 − tanh²(gᵢ).
        var byHand = new double[2, 3];
        for (int i = 0; i < 2; i++)
        {
            double g = 0;
            for (int j = 0; j < 3; j++)
            {
                g += weights[i, j] * input[j];
            }

            for (int j = 0; j < 3; j++)
            {
                byHand[i, j] = (1 - (Math.Tanh(g) * Math.Tanh(g))) * weights[i, j];
            }
        }

        Check.Agree("∂y/∂x = diag(1 − tanh²(Wx))·W", jacobian, byHand);
        // </snippet>
    }
}
