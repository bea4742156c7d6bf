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
        Tensor y = u.Tanh();  // outer: y = tanh(u)
        y.Backward();

        double dyDu = 1 - Math.Pow(Math.Tanh(A * A), 2);  // tanh′(u) = 1 − tanh²u, at u = x²
        double duDx = 2 * A;
        Check.Agree("dy/du = 1 − tanh²(x²)", u.Grad, dyDu);
        Check.Agree("dy/dx = dy/du · du/dx", x.Grad, dyDu * duDx);
        // </snippet>
    }

    public static void VectorChainRule()
    {
        // <snippet VectorChainRule>
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
