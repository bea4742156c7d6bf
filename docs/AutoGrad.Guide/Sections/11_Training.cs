using AutoGrad.Optimizers;

namespace AutoGrad.Guide;

/// <summary>Section 11: gradient descent, one step checked by hand, then a neuron trained until it finds its target.</summary>
internal static partial class Sections
{
    public static void SgdStep()
    {
        // <snippet SgdStep>
        double[] weights = [0.8, 0.4, -0.3];
        double[] input = [1.0, 2.0, 0.5];
        const double Target = 3;
        Tensor w = Tensor.Create(weights).RequireGrad();
        Tensor loss = (w.Dot(Tensor.Create(input)) - Target).Pow(2);  // one sample, no ReLU: C = (w·x − y)²
        loss.Backward();

        // By hand: ∂C/∂w = 2(w·x − y)·xᵀ, and the step w ← w − η·∂C/∂w with η = 0.1.
        double error = weights.Zip(input, (wi, xi) => wi * xi).Sum() - Target;
        double[] gradient = [.. input.Select(xi => 2 * error * xi)];
        Check.Agree("∂C/∂w = 2(w·x − y)·x", w.Grad, gradient);

        var sgd = new Sgd([w], learningRate: 0.1);
        sgd.Step();  // updates w in place, outside the tape
        Check.Agree("w − 0.1·∂C/∂w", w, [.. weights.Zip(gradient, (wi, gi) => wi - (0.1 * gi))]);
        // </snippet>
    }

    public static void Training()
    {
        // <snippet Training>
        // 64 samples labeled by a known neuron w* = [2, −3, 0.5], b* = 1: can gradient descent find it?
        var random = new RandomSource(seed: 7);
        double[] wStar = [2.0, -3.0, 0.5];
        const double BStar = 1.0;
        Tensor x = Tensor.RandomNormal([64, 3], random, dtype: DType.Float64);
        Tensor y = (x.MatMul(Tensor.Create(wStar)) + BStar).Relu();

        Tensor w = Tensor.RandomNormal([3], random, standardDeviation: 0.1, dtype: DType.Float64).RequireGrad();
        Tensor b = Tensor.Scalar(0.1, DType.Float64).RequireGrad();
        var sgd = new Sgd([w, b], learningRate: 0.1);
        var losses = new List<double>();
        for (int step = 0; step < 300; step++)
        {
            Tensor loss = Tensor.MseLoss((x.MatMul(w) + b).Relu(), y);
            losses.Add(loss.Item());
            loss.Backward();  // ∂C/∂w into w.Grad, ∂C/∂b into b.Grad
            sgd.Step();       // w ← w − 0.1·∂C/∂w, b ← b − 0.1·∂C/∂b
            sgd.ZeroGrad();   // the next step's gradients must not add to these
            if (step % 50 == 0)
            {
                Console.WriteLine($"step {step,3}   loss {losses[^1]:0.000e+00}");
            }
        }

        Console.WriteLine($"step 300   loss {Tensor.MseLoss((x.MatMul(w) + b).Relu(), y).Item():0.000e+00}");
        Check.That("the loss fell at every step", losses.Zip(losses.Skip(1), (before, after) => after < before).All(fell => fell));
        Check.Near("w → w*", w, wStar, 1e-3);
        Check.Near("b → b*", b.Item(), BStar, 1e-3);
        // </snippet>
    }
}
