namespace AutoGrad.Guide;

/// <summary>Section 10: the mean squared error of a neuron over a batch, and the paper's closed form of its gradient.</summary>
internal static partial class Sections
{
    public static void LossGradient()
    {
        // <snippet LossGradient>
        double[,] inputs = { { 1.0, 2.0, 0.5 }, { -1.0, 0.5, 2.0 }, { 0.5, -2.0, 1.0 }, { 2.0, 1.0, -1.5 } };  // N = 4 rows xᵢ
        double[] targets = [3.0, 1.0, 0.5, 2.0];
        double[] weights = [0.8, 0.4, -0.3];
        const double Bias = 0.1;

        Tensor x = Tensor.Create(inputs);
        Tensor w = Tensor.Create(weights).RequireGrad();
        Tensor b = Tensor.Scalar(Bias, DType.Float64).RequireGrad();
        Tensor loss = Tensor.MseLoss((x.MatMul(w) + b).Relu(), Tensor.Create(targets));  // C = (1/N) Σᵢ (max(0, w·xᵢ + b) − yᵢ)²
        loss.Backward();

        // By hand, the paper's closed form: eᵢ = w·xᵢ + b − yᵢ, summed over the samples where w·xᵢ + b > 0 only:
        // ∂C/∂w = (2/N) Σ eᵢxᵢᵀ and ∂C/∂b = (2/N) Σ eᵢ.
        int n = targets.Length;
        double cByHand = 0, dbByHand = 0;
        var dwByHand = new double[weights.Length];
        for (int i = 0; i < n; i++)
        {
            double z = Bias;
            for (int j = 0; j < weights.Length; j++)
            {
                z += weights[j] * inputs[i, j];
            }

            cByHand += Math.Pow(Math.Max(0, z) - targets[i], 2) / n;
            if (z > 0)
            {
                double e = z - targets[i];
                dbByHand += 2 * e / n;
                for (int j = 0; j < weights.Length; j++)
                {
                    dwByHand[j] += 2 * e * inputs[i, j] / n;
                }
            }

            Console.WriteLine($"sample {i}: w·x + b = {z,5:0.00}{(z > 0 ? "" : "  (inactive: contributes no gradient)")}");
        }

        Check.Agree("C", loss, cByHand);
        Check.Agree("∂C/∂w", w.Grad, dwByHand);
        Check.Agree("∂C/∂b", b.Grad, dbByHand);
        // </snippet>
    }
}
