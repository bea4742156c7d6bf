namespace AutoGrad.Guide;

/// <summary>Section 9: the gradient of one neuron's activation, max(0, w·x + b), with respect to w and b.</summary>
internal static partial class Sections
{
    public static void NeuronGradient()
    {
        // <snippet NeuronGradient>
        static void Neuron(double[] weights, double bias, double[] input)
        {
            Tensor w = Tensor.Create(weights).RequireGrad();
            Tensor b = Tensor.Scalar(bias, DType.Float64).RequireGrad();
            Tensor x = Tensor.Create(input);
            Tensor activation = (w.Dot(x) + b).Relu();  // max(0, w·x + b)
            activation.Backward();

            // By hand: with z = w·x + b, the gradients are xᵀ and 1 where z > 0, and 0ᵀ and 0 where it is not.
            double z = bias + weights.Zip(input, (wi, xi) => wi * xi).Sum();
            Console.WriteLine($"z = w·x + b = {z}");
            Check.Agree("∂activation/∂w", w.Grad, z > 0 ? input : new double[input.Length]);
            Check.Agree("∂activation/∂b", b.Grad, z > 0 ? 1 : 0);
        }

        Neuron([0.5, -1.0, 2.0], 0.25, [1.0, 2.0, 3.0]);   // active: z > 0
        Neuron([0.5, -1.0, 2.0], 0.25, [1.0, 2.0, -3.0]);  // inactive: z < 0, so no gradient passes
        // </snippet>
    }
}
