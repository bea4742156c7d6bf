namespace AutoGrad.NN;

/// <summary>
/// Parameter initializers, as PyTorch's <c>nn.init</c>: each overwrites a tensor in place (unrecorded) with draws
/// from an explicit <see cref="RandomSource"/>, so the same seed gives the same values bit for bit.
/// </summary>
/// <remarks>
/// The fans of a weight of shape [out, in, k₁, k₂, …] are <c>fanIn = in·k₁·k₂·…</c> and <c>fanOut = out·k₁·k₂·…</c>;
/// a Linear weight [out, in] has <c>fanIn = in</c>, <c>fanOut = out</c>. A tensor without elements is left as it is,
/// as in PyTorch: it has nothing to initialize, even where its fans would make the scale infinite.
/// Every argument is checked before anything is drawn from the random source, so a rejected call leaves both the tensor
/// and the source as they were.
/// </remarks>
public static class Init
{
    /// <summary>Sets every element to 0.</summary>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    /// <exception cref="InvalidOperationException">The tensor is an op's result, not a leaf.</exception>
    public static void Zeros(Tensor tensor) => Constant(tensor, 0, nameof(Zeros));

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static void Constant(Tensor tensor, double value) => Constant(tensor, value, nameof(Constant));

    private static void Constant(Tensor tensor, double value, string op)
    {
        CheckTarget(tensor, op);
        using (Tensor.NoGrad())
        {
            tensor.FillInPlace(value);
        }
    }

    /// <summary>Draws every element from the uniform distribution on <c>[low, high)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or <paramref name="low"/> is above <paramref name="high"/>.</exception>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static void Uniform(Tensor tensor, RandomSource random, double low = 0, double high = 1)
    {
        CheckTarget(tensor, nameof(Uniform));
        ArgumentNullException.ThrowIfNull(random);
        RandomArguments.CheckUniform(low, high, "Init." + nameof(Uniform), tensor.Shape); // so the message names Init.Uniform, not RandomUniform
        Overwrite(tensor, Tensor.RandomUniform(tensor.Shape, random, low, high, tensor.DType));
    }

    /// <summary>Draws every element from the normal distribution <c>N(mean, standardDeviation²)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The mean is not finite, or the standard deviation is negative or not finite.</exception>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static void Normal(Tensor tensor, RandomSource random, double mean = 0, double standardDeviation = 1)
    {
        CheckTarget(tensor, nameof(Normal));
        ArgumentNullException.ThrowIfNull(random);
        RandomArguments.CheckNormal(mean, standardDeviation, "Init." + nameof(Normal), tensor.Shape); // so the message names Init.Normal, not RandomNormal
        Overwrite(tensor, Tensor.RandomNormal(tensor.Shape, random, mean, standardDeviation, tensor.DType));
    }

    /// <summary>
    /// Xavier/Glorot uniform: <c>U(−a, a)</c> with <c>a = gain·√(6 / (fanIn + fanOut))</c>, which keeps the variance of
    /// activations and of gradients about equal across layers (Glorot and Bengio, 2010).
    /// </summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is negative or not finite.</exception>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static void XavierUniform(Tensor tensor, RandomSource random, double gain = 1)
    {
        CheckTarget(tensor, nameof(XavierUniform));
        ArgumentNullException.ThrowIfNull(random);
        (int fanIn, int fanOut) = Fans(tensor, nameof(XavierUniform));
        CheckGain(gain, nameof(XavierUniform));
        if (tensor.ElementCount == 0)
        {
            return;
        }

        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Overwrite(tensor, Tensor.RandomUniform(tensor.Shape, random, -bound, bound, tensor.DType));
    }

    /// <summary>Xavier/Glorot normal: <c>N(0, σ²)</c> with <c>σ = gain·√(2 / (fanIn + fanOut))</c>.</summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is negative or not finite.</exception>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static void XavierNormal(Tensor tensor, RandomSource random, double gain = 1)
    {
        CheckTarget(tensor, nameof(XavierNormal));
        ArgumentNullException.ThrowIfNull(random);
        (int fanIn, int fanOut) = Fans(tensor, nameof(XavierNormal));
        CheckGain(gain, nameof(XavierNormal));
        if (tensor.ElementCount == 0)
        {
            return;
        }

        Overwrite(tensor, Tensor.RandomNormal(tensor.Shape, random, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), tensor.DType));
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
    /// <exception cref="ArgumentOutOfRangeException">The nonlinearity or mode is undefined, or <paramref name="negativeSlope"/> is not finite.</exception>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static void KaimingUniform(
        Tensor tensor, RandomSource random, Nonlinearity nonlinearity = Nonlinearity.Relu, FanMode mode = FanMode.FanIn, double negativeSlope = 0)
    {
        CheckTarget(tensor, nameof(KaimingUniform));
        ArgumentNullException.ThrowIfNull(random);
        int fan = Fan(tensor, mode, nameof(KaimingUniform));
        double gain = CheckedGain(nonlinearity, negativeSlope, nameof(KaimingUniform));
        if (tensor.ElementCount == 0)
        {
            return;
        }

        double bound = gain * Math.Sqrt(3.0 / fan);
        Overwrite(tensor, Tensor.RandomUniform(tensor.Shape, random, -bound, bound, tensor.DType));
    }

    /// <summary>Kaiming/He normal: <c>N(0, σ²)</c> with <c>σ = gain / √fan</c>.</summary>
    /// <inheritdoc cref="KaimingUniform" path="/param"/>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The nonlinearity or mode is undefined, or <paramref name="negativeSlope"/> is not finite.</exception>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static void KaimingNormal(
        Tensor tensor, RandomSource random, Nonlinearity nonlinearity = Nonlinearity.Relu, FanMode mode = FanMode.FanIn, double negativeSlope = 0)
    {
        CheckTarget(tensor, nameof(KaimingNormal));
        ArgumentNullException.ThrowIfNull(random);
        int fan = Fan(tensor, mode, nameof(KaimingNormal));
        double gain = CheckedGain(nonlinearity, negativeSlope, nameof(KaimingNormal));
        if (tensor.ElementCount == 0)
        {
            return;
        }

        Overwrite(tensor, Tensor.RandomNormal(tensor.Shape, random, 0, gain / Math.Sqrt(fan), tensor.DType));
    }

    /// <summary>
    /// The recommended gain for an activation, as PyTorch's <c>calculate_gain</c>: 1 for linear and sigmoid, 5/3 for
    /// tanh, √2 for ReLU, and <c>√(2 / (1 + slope²))</c> for leaky ReLU.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The nonlinearity is undefined, or <paramref name="negativeSlope"/> is not finite.</exception>
    public static double Gain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => CheckedGain(nonlinearity, negativeSlope, nameof(Gain));

    private static double CheckedGain(Nonlinearity nonlinearity, double negativeSlope, string op)
    {
        if (!double.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, $"{op}: the negative slope must be finite, got {negativeSlope}.");
        }

        return nonlinearity switch
        {
            Nonlinearity.Linear or Nonlinearity.Sigmoid => 1,
            Nonlinearity.Tanh => 5.0 / 3,
            Nonlinearity.Relu => Math.Sqrt(2),
            Nonlinearity.LeakyRelu => Math.Sqrt(2 / (1 + (negativeSlope * negativeSlope))),
            _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, $"{op}: unknown nonlinearity {(int)nonlinearity}."),
        };
    }

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
        return mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{op}: unknown fan mode {(int)mode}."),
        };
    }

    private static void CheckGain(double gain, string op)
    {
        if (!double.IsFinite(gain) || gain < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, $"{op}: the gain must be finite and non-negative, got {gain}.");
        }
    }

    /// <summary>Throws unless <paramref name="tensor"/> can be overwritten: before anything is drawn, so a rejected call consumes no random numbers.</summary>
    private static void CheckTarget(Tensor tensor, string op)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.IsDisposed)
        {
            throw TensorGuard.Disposed(tensor, $"Init.{op}", "the tensor");
        }

        if (!tensor.IsLeaf)
        {
            throw new InvalidOperationException(
                $"Init.{op}: the tensor of shape {Shapes.Format(tensor.Shape)} is an op's result; initialize leaves (parameters), or Detach first.");
        }
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
