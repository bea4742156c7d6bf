namespace AutoGrad.Guide;

/// <summary>Section 7: the vector sum reduction and the gradients it passes back.</summary>
internal static partial class Sections
{
    public static void SumReduction()
    {
        // <snippet SumReduction>
        double[] values = [0.5, -1.0, 2.0];
        Tensor x = Tensor.Create(values).RequireGrad();

        Check.Agree("∂ sum(x)/∂x = 1ᵀ, a row", Tensor.Jacobian(x => x.Sum(), x), new double[,] { { 1, 1, 1 } });

        x.Sum().Backward();
        Check.Agree("∇ sum(x) = 1", x.Grad, [1.0, 1.0, 1.0]);

        x.ZeroGrad();
        x.Pow(2).Sum().Backward();  // sum(f(x)) with f(x) = x²: each xᵢ reaches the sum through its own term only
        Check.Agree("∇ sum(x²) = 2x", x.Grad, [.. values.Select(v => 2 * v)]);

        Tensor z = Tensor.Scalar(3, DType.Float64).RequireGrad();
        (x * z).Sum().Backward();   // y = sum(x·z) with a scalar z
        Check.Agree("∂ sum(x·z)/∂z = sum(x)", z.Grad, values.Sum());
        // </snippet>
    }
}
