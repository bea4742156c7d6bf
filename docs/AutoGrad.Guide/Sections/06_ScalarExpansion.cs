namespace AutoGrad.Guide;

/// <summary>Section 6: scalar expansion (broadcasting a scalar over a vector) and the gradient it gives the scalar.</summary>
internal static partial class Sections
{
    public static void ScalarExpansion()
    {
        // <snippet ScalarExpansion>
        double[] xValues = [1.0, 2.0, 3.0];
        Tensor x = Tensor.Create(xValues);
        Tensor z = Tensor.Scalar(10, DType.Float64).RequireGrad();

        Check.Agree("∂(x + z)/∂z = 1, a column", Tensor.Jacobian(z => x + z, z), new double[,] { { 1 }, { 1 }, { 1 } });
        Check.Agree("∂(x·z)/∂z = x, a column", Tensor.Jacobian(z => x * z, z), new double[,] { { 1 }, { 2 }, { 3 } });
        Check.Agree("∂(x·z)/∂x = zI", Tensor.Jacobian(x => x * z, x), new double[,] { { 10, 0, 0 }, { 0, 10, 0 }, { 0, 0, 10 } });

        // Backward with a gradient dL/dy arriving from above: z receives 1ᵀ·dL/dy, the sum of it.
        Tensor y = x + z;
        double[] upstream = [1.0, 2.0, 4.0];
        y.Backward(Tensor.Create(upstream));
        Check.Agree("dL/dz = sum(dL/dy)", z.Grad, upstream.Sum());
        // </snippet>
    }
}
