namespace AutoGrad.Guide;

/// <summary>Section 5: element-wise binary operations have diagonal Jacobians.</summary>
internal static partial class Sections
{
    public static void ElementwiseJacobians()
    {
        // <snippet ElementwiseJacobians>
        double[] wValues = [1.0, -2.0, 3.0];
        double[] xValues = [4.0, 5.0, -6.0];
        Tensor w = Tensor.Create(wValues);
        Tensor x = Tensor.Create(xValues);

        Tensor product = Tensor.Jacobian(w => w * x, w);  // ∂(w ⊗ x)/∂w, at w
        Console.WriteLine(product);
        Check.Agree("∂(w ⊗ x)/∂w = diag(x)", product, Diagonal(xValues));
        Check.Agree("∂(w ⊗ x)/∂x = diag(w)", Tensor.Jacobian(x => w * x, x), Diagonal(wValues));
        Check.Agree("∂(w + x)/∂w = I", Tensor.Jacobian(w => w + x, w), Diagonal([1.0, 1.0, 1.0]));
        Check.Agree("∂(w − x)/∂x = −I", Tensor.Jacobian(x => w - x, x), Diagonal([-1.0, -1.0, -1.0]));
        Check.Agree("∂(w ⊘ x)/∂x = diag(−w/x²)", Tensor.Jacobian(x => w / x, x),
            Diagonal([.. wValues.Zip(xValues, (wi, xi) => -wi / (xi * xi))]));

        // The n×n matrix with these values on its diagonal and zeros elsewhere.
        static double[,] Diagonal(double[] values)
        {
            var matrix = new double[values.Length, values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                matrix[i, i] = values[i];
            }

            return matrix;
        }
        // </snippet>
    }
}
