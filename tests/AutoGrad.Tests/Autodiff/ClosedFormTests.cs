using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Autodiff;

/// <summary>The closed forms of "The Matrix Calculus You Need For Deep Learning", stated and checked exactly.</summary>
public sealed class ClosedFormTests
{
    private static readonly double[] X = [0.5, -1.25, 2.0, 3.5];
    private static readonly double[] W = [1.5, 0.25, -0.75, 2.0];

    [Test]
    public void The_Jacobian_of_the_identity_is_I()
    {
        Tensor jacobian = Tensor.Jacobian(x => x, Tensor.Create(X));

        Assert.That(jacobian.Shape.ToArray(), Is.EqualTo(new[] { 4, 4 }));
        TestTensors.AssertClose(jacobian, Identity(4), 0);
    }

    [Test]
    public void The_Jacobian_of_an_elementwise_product_with_respect_to_w_is_diag_x()
    {
        Tensor x = Tensor.Create(X);

        Tensor jacobian = Tensor.Jacobian(w => w * x, Tensor.Create(W));

        TestTensors.AssertClose(jacobian, Diagonal(X), 0);
    }

    [Test]
    public void The_Jacobian_of_an_elementwise_quotient_with_respect_to_x_is_diag_one_over_y()
    {
        Tensor y = Tensor.Create(W);

        Tensor jacobian = Tensor.Jacobian(x => x / y, Tensor.Create(X));

        TestTensors.AssertClose(jacobian, Diagonal([.. W.Select(w => 1 / w)]), 1e-15);
    }

    [Test]
    public void The_Jacobian_of_scalar_expansion_x_plus_z_with_respect_to_z_is_a_column_of_ones()
    {
        Tensor x = Tensor.Create(X);

        Tensor jacobian = Tensor.Jacobian(z => x + z, Tensor.Scalar(3, DType.Float64));

        Assert.That(jacobian.Shape.ToArray(), Is.EqualTo(new[] { 4, 1 }));
        TestTensors.AssertClose(jacobian, [1, 1, 1, 1], 0);
    }

    [Test]
    public void The_Jacobian_of_sum_is_a_row_of_ones()
    {
        Tensor jacobian = Tensor.Jacobian(x => x.Sum(), Tensor.Create(X));

        Assert.That(jacobian.Shape.ToArray(), Is.EqualTo(new[] { 1, 4 }));
        TestTensors.AssertClose(jacobian, [1, 1, 1, 1], 0);
    }

    [Test]
    public void The_derivative_of_w_dot_x_plus_b_is_x_transposed_for_w_and_one_for_b()
    {
        Tensor x = Tensor.Create(X);
        Tensor w = Tensor.Create(W).RequireGrad();
        Tensor b = Tensor.Scalar(0.5, DType.Float64).RequireGrad();

        (w.Dot(x) + b).Backward();

        TestTensors.AssertClose(w.Grad!, X, 0);
        TestTensors.AssertClose(b.Grad!, [1], 0);
    }

    [Test]
    public void The_affine_op_has_the_same_derivatives_as_w_dot_x_plus_b()
    {
        Tensor x = Tensor.Create(X);
        Tensor w = Tensor.Create(W, [1, 4]).RequireGrad();
        Tensor b = Tensor.Create(new[] { 0.5 }).RequireGrad();

        x.Affine(w, b).Sum().Backward();

        TestTensors.AssertClose(w.Grad!, X, 0);
        TestTensors.AssertClose(b.Grad!, [1], 0);
    }

    [TestCase(1.0, true, TestName = "The neuron max(0, w·x + b) has gradient xᵀ where z > 0")]
    [TestCase(-9.0, false, TestName = "The neuron max(0, w·x + b) has gradient 0 where z < 0")]
    public void Neuron_gradient(double bias, bool active)
    {
        Tensor x = Tensor.Create(X);
        Tensor w = Tensor.Create(W).RequireGrad();
        Tensor b = Tensor.Scalar(bias, DType.Float64).RequireGrad();
        double z = X.Zip(W, (xi, wi) => xi * wi).Sum() + bias;
        Assert.That(z > 0, Is.EqualTo(active), "the test point is on the intended side");

        (w.Dot(x) + b).Relu().Backward();

        TestTensors.AssertClose(w.Grad!, active ? X : [0, 0, 0, 0], 0);
        TestTensors.AssertClose(b.Grad!, [active ? 1 : 0], 0);
    }

    [Test]
    public void The_neuron_has_gradient_zero_at_z_equal_to_zero()
    {
        Tensor x = Tensor.Create(X);
        Tensor w = Tensor.Create(W).RequireGrad();
        double dot = X.Zip(W, (xi, wi) => xi * wi).Sum();
        Tensor b = Tensor.Scalar(-dot, DType.Float64).RequireGrad();

        (w.Dot(x) + b).Relu().Backward();

        TestTensors.AssertClose(w.Grad!, [0, 0, 0, 0], 0);
    }

    [Test]
    public void The_gradient_of_the_mse_loss_over_N_samples_matches_the_papers_formula()
    {
        // L = (1/N) Σᵢ (max(0, w·xᵢ + b) − yᵢ)²
        // ∂L/∂w = (2/N) Σᵢ (max(0, zᵢ) − yᵢ) [zᵢ > 0] xᵢᵀ,  ∂L/∂b = (2/N) Σᵢ (max(0, zᵢ) − yᵢ) [zᵢ > 0]
        const int n = 6;
        Tensor inputs = TestTensors.AwayFromZero([n, 4], seed: 7);
        Tensor targets = TestTensors.AwayFromZero([n, 1], seed: 8);
        Tensor w = Tensor.Create(W, [1, 4]).RequireGrad();
        Tensor b = Tensor.Create(new[] { 0.3 }).RequireGrad();

        Tensor.MseLoss(inputs.Affine(w, b).Relu(), targets).Backward();

        double[] expectedW = new double[4];
        double expectedB = 0;
        for (int i = 0; i < n; i++)
        {
            double z = 0.3;
            for (int j = 0; j < 4; j++)
            {
                z += W[j] * inputs[i, j];
            }

            if (z <= 0)
            {
                continue;
            }

            double residual = z - targets[i, 0];
            for (int j = 0; j < 4; j++)
            {
                expectedW[j] += 2.0 / n * residual * inputs[i, j];
            }

            expectedB += 2.0 / n * residual;
        }

        TestTensors.AssertClose(w.Grad!, expectedW, 1e-14);
        TestTensors.AssertClose(b.Grad!, [expectedB], 1e-14);
    }

    [Test]
    public void The_chain_rule_composes_Jacobians_tanh_of_an_affine_map_has_Jacobian_diag_of_one_minus_tanh_squared_times_W()
    {
        Tensor w = TestTensors.AwayFromZero([3, 4], seed: 11);
        Tensor b = TestTensors.AwayFromZero([3], seed: 12);
        Tensor x = Tensor.Create(X);

        Tensor jacobian = Tensor.Jacobian(v => v.Affine(w, b).Tanh(), x);

        var expected = new double[12];
        for (int i = 0; i < 3; i++)
        {
            double z = b[i];
            for (int j = 0; j < 4; j++)
            {
                z += w[i, j] * X[j];
            }

            double derivative = 1 - (Math.Tanh(z) * Math.Tanh(z));
            for (int j = 0; j < 4; j++)
            {
                expected[(i * 4) + j] = derivative * w[i, j];
            }
        }

        TestTensors.AssertClose(jacobian, expected, 1e-15);
    }

    [Test]
    public void The_Jacobian_of_sin_is_diag_cos_x_and_of_cos_is_diag_minus_sin_x()
    {
        Tensor sin = Tensor.Jacobian(x => x.Sin(), Tensor.Create(X));
        Tensor cos = Tensor.Jacobian(x => x.Cos(), Tensor.Create(X));

        TestTensors.AssertClose(sin, Diagonal([.. X.Select(Math.Cos)]), 1e-15);
        TestTensors.AssertClose(cos, Diagonal([.. X.Select(x => -Math.Sin(x))]), 1e-15);
    }

    [Test]
    public void The_papers_chain_rule_example_d_sin_x_squared_dx_is_2x_cos_x_squared()
    {
        Tensor x = Tensor.Create(X).RequireGrad();

        x.Pow(2).Sin().Sum().Backward();

        TestTensors.AssertClose(x.Grad!, [.. X.Select(v => 2 * v * Math.Cos(v * v))], 1e-14);
    }

    [Test]
    public void The_papers_vector_chain_rule_example_ln_x_squared_and_sin_3x_has_derivative_2_over_x_and_3_cos_3x()
    {
        // g(x) = [x², 3x], f(g) = [ln g₁, sin g₂]: ∂f/∂g = diag(1/g₁, cos g₂) times ∂g/∂x = [2x, 3]ᵀ.
        const double At = 0.7;

        Tensor jacobian = Tensor.Jacobian(
            x => (x.Pow(2).Log() * Tensor.Create([1.0, 0.0])) + ((3 * x).Sin() * Tensor.Create([0.0, 1.0])),
            Tensor.Scalar(At, DType.Float64));

        Assert.That(jacobian.Shape.ToArray(), Is.EqualTo(new[] { 2, 1 }));
        TestTensors.AssertClose(jacobian, [2 / At, 3 * Math.Cos(3 * At)], 1e-15);
    }

    [Test]
    public void The_Jacobian_has_one_row_per_output_element()
    {
        Tensor jacobian = Tensor.Jacobian(x => x.Sum(0), Tensor.Zeros([2, 3], DType.Float64));

        Assert.That(jacobian.Shape.ToArray(), Is.EqualTo(new[] { 3, 6 }));
        TestTensors.AssertClose(jacobian, [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1], 0);
    }

    [Test]
    public void A_function_that_ignores_its_input_has_a_zero_Jacobian()
    {
        Tensor constant = Tensor.Ones([2], DType.Float64);

        Tensor jacobian = Tensor.Jacobian(_ => constant * 2, Tensor.Zeros([3], DType.Float64));

        TestTensors.AssertClose(jacobian, new double[6], 0);
    }

    [Test]
    public void Jacobian_and_GradientCheck_leave_the_gradients_and_graphs_of_captured_tensors_alone()
    {
        Tensor p = Tensor.Create(new[] { 2.0, 3.0 }).RequireGrad();
        Tensor captured = p * 2; // a non-leaf with its own graph, captured by the function

        Tensor jacobian = Tensor.Jacobian(v => v * captured, Tensor.Ones([2], DType.Float64));
        GradientCheckResult check = GradientCheck.Run(v => v * captured, Tensor.Ones([2], DType.Float64));

        TestTensors.AssertClose(jacobian, [4, 0, 0, 6], 0);
        Assert.That(check.MaxError, Is.LessThan(1e-6));
        Assert.That(p.Grad, Is.Null);
        captured.Sum().Backward();
        TestTensors.AssertClose(p.Grad!, [2, 2], 0);
    }

    private static double[] Identity(int n) => Diagonal(Enumerable.Repeat(1.0, n).ToArray());

    private static double[] Diagonal(double[] values)
    {
        int n = values.Length;
        var result = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            result[(i * n) + i] = values[i];
        }

        return result;
    }
}
