using AutoGrad.NN;
using AutoGrad.Optimizers;

namespace AutoGrad.Benchmarks.Support;

/// <summary>
/// The two models whose SGD steps the training benchmarks time: a single neuron <c>relu(w·x + b)</c> with 3 inputs and
/// batch 1 under an MSE loss, and an MLP 784-128-10 with ReLU and cross-entropy on a seeded batch of 64 images.
/// </summary>
internal sealed class TrainingModels
{
    public const float LearningRate = 1e-3f;

    /// <summary>The neuron's starting weights, input, bias and target, shared with the hand-written step.</summary>
    public static readonly float[] NeuronWeights = [0.3f, -0.2f, 0.1f];

    public static readonly float[] NeuronInput = [0.5f, -1.0f, 2.0f];

    public const float NeuronBias = 0.1f;

    public const float NeuronTarget = 1.5f;

    private readonly Tensor _w;
    private readonly Tensor _b;
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly Sgd _neuronSgd;

    private readonly Mlp _mlp;
    private readonly Sgd _mlpSgd;
    private readonly Tensor _images;
    private readonly int[] _labels;

    public TrainingModels()
    {
        var random = new RandomSource(7);
        _w = Tensor.Create(NeuronWeights, [1, 3]).RequireGrad();
        _b = Tensor.Create([NeuronBias], [1]).RequireGrad();
        _x = Tensor.Create(NeuronInput, [1, 3]);
        _y = Tensor.Create([NeuronTarget], [1, 1]);
        _neuronSgd = new Sgd([_w, _b], LearningRate);

        _mlp = new Mlp([784, 128, 10], random);
        _mlpSgd = new Sgd(_mlp.Parameters(), LearningRate);
        _images = Tensor.RandomUniform([64, 784], random);
        _labels = [.. Enumerable.Range(0, 64).Select(i => i % 10)];
    }

    /// <summary>One neuron step: <c>mse(relu(x·Wᵀ + b), y)</c>, Backward, Sgd.Step, ZeroGrad, in a <see cref="TensorScope"/>.</summary>
    public void NeuronStep()
    {
        using TensorScope scope = Tensor.Scope();
        Tensor loss = Tensor.MseLoss(_x.Affine(_w, _b).Relu(), _y);
        loss.Backward();
        _neuronSgd.Step();
        _neuronSgd.ZeroGrad();
    }

    /// <summary>One MLP step: cross-entropy of the MLP on the 64 images, Backward, Sgd.Step, ZeroGrad, in a <see cref="TensorScope"/>.</summary>
    public void MlpStep()
    {
        using TensorScope scope = Tensor.Scope();
        Tensor loss = Losses.CrossEntropy(_mlp.Forward(_images), _labels);
        loss.Backward();
        _mlpSgd.Step();
        _mlpSgd.ZeroGrad();
    }
}
