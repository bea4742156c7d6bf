namespace AutoGrad.NN;

/// <summary>
/// A fully connected layer: <c>y = x·Wᵀ + b</c> for a batch x of shape [N, in] (or one sample [in]), with the weight
/// W of shape [out, in] and the bias b of shape [out], as PyTorch's <c>nn.Linear</c>.
/// </summary>
/// <remarks>
/// Both are initialized as PyTorch does, uniformly in <c>[−1/√in, 1/√in]</c>, from the given random source, so a
/// model built from the same seed is the same bit for bit. Re-initialize with <see cref="Init"/> to choose another scheme.
/// </remarks>
public sealed class Linear : Module
{
    /// <summary>Creates the layer and draws its initial parameters from <paramref name="random"/>.</summary>
    /// <param name="inFeatures">The length of each input sample.</param>
    /// <param name="outFeatures">The length of each output sample.</param>
    /// <param name="random">The source of the initial values.</param>
    /// <param name="bias">Whether the layer adds a learned bias.</param>
    /// <param name="dtype">The element type of the parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is not positive, or <paramref name="dtype"/> is not a defined element type.</exception>
    public Linear(int inFeatures, int outFeatures, RandomSource random, bool bias = true, DType dtype = DType.Float32)
    {
        if (inFeatures <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(inFeatures), inFeatures, $"Linear: inFeatures is {inFeatures} (in: {inFeatures}, out: {outFeatures}); both feature counts must be positive.");
        }

        if (outFeatures <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(outFeatures), outFeatures, $"Linear: outFeatures is {outFeatures} (in: {inFeatures}, out: {outFeatures}); both feature counts must be positive.");
        }

        DTypes.CheckDefined(dtype, nameof(Linear));
        ArgumentNullException.ThrowIfNull(random);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.RandomUniform([outFeatures, inFeatures], random, -bound, bound, dtype));
        if (bias)
        {
            Bias = RegisterParameter("bias", Tensor.RandomUniform([outFeatures], random, -bound, bound, dtype));
        }
    }

    /// <summary>The length of each input sample.</summary>
    public int InFeatures { get; }

    /// <summary>The length of each output sample.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight W, of shape [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias b, of shape [out], or null for a layer without one.</summary>
    public Tensor? Bias { get; }

    /// <summary><c>x·Wᵀ + b</c>; see <see cref="Tensor.Affine"/> for the shapes and the backward rule.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Affine(Weight, Bias);
    }

    /// <inheritdoc/>
    protected override string DescribeSettings() => $"in: {InFeatures}, out: {OutFeatures}, bias: {(Bias is null ? "false" : "true")}";
}
