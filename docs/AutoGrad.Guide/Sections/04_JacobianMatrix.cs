namespace AutoGrad.Guide;

/// <summary>Section 4: the Jacobian of a vector function, one row per output.</summary>
internal static partial class Sections
{
    public static void JacobianMatrix()
    {
        // <snippet JacobianMatrix>
        // The vector function [f(x, y), g(x, y)] = [3x²y, 2x + y⁸] of v = [x, y].
        static Tensor FG(Tensor v)
        {
            Tensor x = v.TakeAlongLastAxis([0]);
            Tensor y = v.TakeAlongLastAxis([1]);
            Tensor f = 3 * x.Pow(2) * y;
            Tensor g = (2 * x) + y.Pow(8);
            return (f * Tensor.Create([1.0, 0.0])) + (g * Tensor.Create([0.0, 1.0]));  // the vector [f, g]
        }

        Tensor jacobian = Tensor.Jacobian(FG, Tensor.Create([2.0, 0.5]));  // 2×2: row i is the gradient of output i
        Console.WriteLine(jacobian);

        double a = 2, b = 0.5;
        double[,] byHand =
        {
            { 6 * a * b, 3 * a * a },          // ∇f
            { 2,         8 * Math.Pow(b, 7) },  // ∇g
        };
        Check.Agree("J = [∇f; ∇g]", jacobian, byHand);
        // </snippet>
    }
}
