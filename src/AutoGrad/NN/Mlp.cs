namespace AutoGrad.NN;

/// <summary>
/// A multilayer perceptron: <see cref="Linear"/> layers of the given sizes with an activation between each two
/// (none after the last, which gives logits or regression outputs). <c>new Mlp([2, 16, 16, 2], random)</c> is
/// Linear(2→16), ReLU, Linear(16→16), ReLU, Linear(16→2), held in <see cref="Layers"/>, so its parameters are
/// named <c>layers.0.weight</c>, <c>layers.0.bias</c>, <c>layers.2.weight</c>, ….
/// </summary>
public sealed class Mlp : Module
{
    /// <summary>Builds the network, drawing every initial parameter from <paramref name="random"/> in layer order.</summary>
    /// <param name="layerSizes">The input size, each hidden size, and the output size: at least two positive numbers.</param>
    /// <param name="random">The source of the initial values.</param>
    /// <param name="activation">Makes the activation placed between layers; <see cref="Relu"/> when null.</param>
    /// <param name="dtype">The element type of the parameters.</param>
    /// <exception cref="ArgumentException">Fewer than two sizes are given, or a size is not positive.</exception>
    public Mlp(IReadOnlyList<int> layerSizes, RandomSource random, Func<Module>? activation = null, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        ArgumentNullException.ThrowIfNull(random);
        if (layerSizes.Count < 2 || layerSizes.Any(size => size <= 0))
        {
            throw new ArgumentException(
                $"Mlp: the layer sizes [{string.Join(", ", layerSizes)}] must be at least two positive numbers (input size, …, output size).",
                nameof(layerSizes));
        }

        activation ??= () => new Relu();
        Layers = RegisterModule("layers", new Sequential());
        for (int i = 1; i < layerSizes.Count; i++)
        {
            if (i > 1)
            {
                Layers.Append(activation());
            }

            Layers.Append(new Linear(layerSizes[i - 1], layerSizes[i], random, bias: true, dtype));
        }
    }

    /// <summary>The layers and activations, in order.</summary>
    public Sequential Layers { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public override Tensor Forward(Tensor input) => Layers.Forward(input);
}
