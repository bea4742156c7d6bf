namespace AutoGrad.NN;

/// <summary>
/// Parameter initializers, as PyTorch's <c>nn.init</c>: each overwrites a tensor in place (unrecorded) with draws
/// from an explicit <see cref="RandomSource"/>, so the same seed gives the same values bit for bit.
/// </summary>
/// <remarks>
/// The fans of a weight of shape [out, in, k₁, k₂, …] are <c>fanIn = in·k₁·k₂·…</c> and <c>fanOut = out·k₁·k₂·…</c>;
/// a Linear weight [out, in] has <c>fanIn = in</c>, <c>fanOut = out</c>. A tensor without elements is left as it is,
/// as in PyTorch: it has nothing to initialize, even where its fans would make the scale infinite.
/// </remarks>
public static class Init
{
    /// <summary>Sets every element to 0.</summary>
    public static void Zeros(Tensor tensor) => Constant(tensor, 0);

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public static void Constant(Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Tensor.NoGrad())
        {
            tensor.FillInPlace(value);
        }
    }

    /// <summary>Draws every element from the uniform distribution on <c>[low, high)</c>.</summary>
    public static void Uniform(Tensor tensor, RandomSource random, double low = 0, double high = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Overwrite(tensor, Tensor.RandomUniform(tensor.Shape, random, low, high, tensor.DType));
    }

    /// <summary>Draws every element from the normal distribution <c>N(mean, standardDeviation²)</c>.</summary>
    public static void Normal(Tensor tensor, RandomSource random, double mean = 0, double standardDeviation = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Overwrite(tensor, Tensor.RandomNormal(tensor.Shape, random, mean, standardDeviation, tensor.DType));
    }

    /// <summary>
    /// Xavier/Glorot uniform: <c>U(−a, a)</c> with <c>a = gain·√(6 / (fanIn + fanOut))</c>, which keeps the variance of
    /// activations and of gradients about equal across layers (Glorot and Bengio, 2010).
    /// </summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    public static void XavierUniform(Tensor tensor, RandomSource random, double gain = 1)
    {
        (int fanIn, int fanOut) = Fans(tensor, nameof(XavierUniform));
        if (tensor.ElementCount == 0)
        {
            return;
        }

        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(tensor, random, -bound, bound);
    }

    /// <summary>Xavier/Glorot normal: <c>N(0, σ²)</c> with <c>σ = gain·√(2 / (fanIn + fanOut))</c>.</summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    public static void XavierNormal(Tensor tensor, RandomSource random, double gain = 1)
    {
        (int fanIn, int fanOut) = Fans(tensor, nameof(XavierNormal));
        if (tensor.ElementCount == 0)
        {
            return;
        }

        Normal(tensor, random, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
    }

    /// <summary>
    /// Kaiming/He uniform: <c>U(−a, a)</c> with <c>a = gain·√(3 / fan)</c>, so that <c>Var = gain² / fan</c>, which keeps
    /// the variance of activations (fan-in) or of gradients (fan-out) across ReLU layers (He et al., 2015).
    /// </summary>
    /// <param name="tensor">The weight to overwrite.</param>
    /// <param name="random">The source of the values.</param>
    /// <param name="nonlinearity">The activation that follows; sets the gain (<see cref="Gain"/>).</param>
    /// <param name="mode">Whether to preserve the variance forward (fan-in) or backward (fan-out).</param>
    /// <param name="negativeSlope">The slope of a <see cref="Nonlinearity.LeakyRelu"/>.</param>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    public static void KaimingUniform(
        Tensor tensor, RandomSource random, Nonlinearity nonlinearity = Nonlinearity.Relu, FanMode mode = FanMode.FanIn, double negativeSlope = 0)
    {
        int fan = Fan(tensor, mode, nameof(KaimingUniform));
        if (tensor.ElementCount == 0)
        {
            return;
        }

        double bound = Gain(nonlinearity, negativeSlope) * Math.Sqrt(3.0 / fan);
        Uniform(tensor, random, -bound, bound);
    }

    /// <summary>Kaiming/He normal: <c>N(0, σ²)</c> with <c>σ = gain / √fan</c>.</summary>
    /// <inheritdoc cref="KaimingUniform" path="/param"/>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    public static void KaimingNormal(
        Tensor tensor, RandomSource random, Nonlinearity nonlinearity = Nonlinearity.Relu, FanMode mode = FanMode.FanIn, double negativeSlope = 0)
    {
        int fan = Fan(tensor, mode, nameof(KaimingNormal));
        if (tensor.ElementCount == 0)
        {
            return;
        }

        double standardDeviation = Gain(nonlinearity, negativeSlope) / Math.Sqrt(fan);
        Normal(tensor, random, 0, standardDeviation);
    }

    /// <summary>
    /// The recommended gain for an activation, as PyTorch's <c>calculate_gain</c>: 1 for linear and sigmoid, 5/3 for
    /// tanh, √2 for ReLU, and <c>√(2 / (1 + slope²))</c> for leaky ReLU.
    /// </summary>
    public static double Gain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2),
        Nonlinearity.LeakyRelu => Math.Sqrt(2 / (1 + (negativeSlope * negativeSlope))),
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Gain: unknown nonlinearity."),
    };

    /// <summary>The fans of a weight: see the remarks of <see cref="Init"/>.</summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    public static (int FanIn, int FanOut) Fans(Tensor tensor) => Fans(tensor, nameof(Fans));

    private static (int FanIn, int FanOut) Fans(Tensor tensor, string op)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException(
                $"{op}: fans are defined for a weight of at least two axes [out, in, …]; this tensor has shape {Shapes.Format(tensor.Shape)}.",
                nameof(tensor));
        }

        // A tensor's element count fits an int, so these products do unless an axis is 0; checked, they cannot wrap.
        int receptiveField = 1;
        foreach (int length in tensor.Shape[2..])
        {
            receptiveField = checked(receptiveField * length);
        }

        return (checked(tensor.Shape[1] * receptiveField), checked(tensor.Shape[0] * receptiveField));
    }

    private static int Fan(Tensor tensor, FanMode mode, string op)
    {
        (int fanIn, int fanOut) = Fans(tensor, op);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }

    private static void Overwrite(Tensor tensor, Tensor values)
    {
        using (Tensor.NoGrad())
        {
            tensor.CopyFrom(values);
        }
    }
}

/// <summary>The activation that follows a layer, for <see cref="Init.Gain"/> and the Kaiming initializers.</summary>
public enum Nonlinearity
{
    /// <summary>No activation (gain 1).</summary>
    Linear,

    /// <summary>The logistic sigmoid (gain 1).</summary>
    Sigmoid,

    /// <summary>The hyperbolic tangent (gain 5/3).</summary>
    Tanh,

    /// <summary>The rectified linear unit (gain √2).</summary>
    Relu,

    /// <summary>The leaky rectified linear unit (gain √(2 / (1 + slope²))).</summary>
    LeakyRelu,
}

/// <summary>Which fan the Kaiming initializers preserve the variance over.</summary>
public enum FanMode
{
    /// <summary>The inputs of a unit: preserves the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>The outputs of a unit: preserves the variance of gradients in the backward pass.</summary>
    FanOut,
}
