using System.Globalization;

namespace AutoGrad;

/// <summary>
/// Checks the gradients AutoGrad computes for a function against central finite differences, in float64:
/// use it on your own compositions as the tests use it on every op.
/// </summary>
/// <example>
/// <code>
/// var x = Tensor.RandomNormal([3, 4], new RandomSource(1), dtype: DType.Float64);
/// GradientCheckResult result = GradientCheck.Run(x => (x * x).Sum(), x);
/// Console.WriteLine(result); // max error 2.1e-10 at ...
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>The default finite-difference step: near the optimum for central differences in float64.</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <inheritdoc cref="Run(Func{Tensor[], Tensor}, Tensor[], double)"/>
    public static GradientCheckResult Run(Func<Tensor, Tensor> function, Tensor input, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Run(inputs => function(inputs[0]), [input], epsilon);
    }

    /// <summary>
    /// Compares every entry of the Jacobian of <paramref name="function"/> with respect to each input, computed in
    /// reverse mode, with the central difference <c>(f(x + εeⱼ) − f(x − εeⱼ)) / 2ε</c>, and reports the worst entry.
    /// </summary>
    /// <remarks>
    /// The error of an entry is <c>|analytic − numeric| / max(1, |analytic|, |numeric|)</c>: relative for large
    /// derivatives, absolute for small ones, where a relative error would only measure rounding noise.
    /// The inputs are copied, never modified. Avoid points where the function has a kink (ReLU at 0, ties of Max).
    /// </remarks>
    /// <param name="function">A deterministic function of the inputs, evaluated several times.</param>
    /// <param name="inputs">The points at which to check; each must be float64.</param>
    /// <param name="epsilon">The finite-difference step.</param>
    /// <exception cref="ArgumentException">An input is not float64, or <paramref name="epsilon"/> is not positive and finite.</exception>
    /// <exception cref="ObjectDisposedException">An input was disposed.</exception>
    public static GradientCheckResult Run(Func<Tensor[], Tensor> function, Tensor[] inputs, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentException($"GradientCheck: epsilon must be positive and finite, got {epsilon}.", nameof(epsilon));
        }

        foreach (Tensor input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            input.CheckAlive(nameof(GradientCheck));
            if (input.DType != DType.Float64)
            {
                throw new ArgumentException(
                    $"GradientCheck: inputs must be float64 for finite differences to be meaningful; got {input.DType.Name()}. "
                    + "Convert them with ToDType(DType.Float64).",
                    nameof(inputs));
            }
        }

        Tensor[] analytic = Tensor.Jacobians(function, inputs);
        Tensor[] numeric = NumericJacobians(function, inputs, epsilon);

        var worst = new GradientCheckResult(0, -1, -1, -1, 0, 0);
        for (int j = 0; j < inputs.Length; j++)
        {
            ReadOnlySpan<double> a = analytic[j].AsReadOnlySpan<double>();
            ReadOnlySpan<double> n = numeric[j].AsReadOnlySpan<double>();
            int columns = inputs[j].ElementCount;
            for (int e = 0; e < a.Length; e++)
            {
                double error = Math.Abs(a[e] - n[e]) / Math.Max(1, Math.Max(Math.Abs(a[e]), Math.Abs(n[e])));
                if (double.IsNaN(error) || error > worst.MaxError || worst.InputIndex < 0)
                {
                    worst = new GradientCheckResult(double.IsNaN(error) ? double.PositiveInfinity : error, j, e / columns, e % columns, a[e], n[e]);
                }
            }
        }

        return worst;
    }

    private static Tensor[] NumericJacobians(Func<Tensor[], Tensor> function, Tensor[] inputs, double epsilon)
    {
        using GradModeScope noGrad = Tensor.NoGrad();
        Tensor[] points = [.. inputs.Select(x => x.Copy())];
        int m = function(points).ElementCount;
        var jacobians = new Tensor[points.Length];
        for (int j = 0; j < points.Length; j++)
        {
            Tensor x = points[j];
            int n = x.ElementCount;
            jacobians[j] = Tensor.Zeros([m, n], DType.Float64);
            Span<double> jacobian = jacobians[j].AsSpan<double>();
            Span<double> values = x.AsSpan<double>();
            for (int k = 0; k < n; k++)
            {
                double original = values[k];
                values[k] = original + epsilon;
                double[] plus = function(points).ToDType(DType.Float64).ToArray<double>();
                values[k] = original - epsilon;
                double[] minus = function(points).ToDType(DType.Float64).ToArray<double>();
                values[k] = original;
                for (int i = 0; i < m; i++)
                {
                    jacobian[(i * n) + k] = (plus[i] - minus[i]) / (2 * epsilon);
                }
            }
        }

        return jacobians;
    }
}

/// <summary>The worst entry found by <see cref="GradientCheck"/>.</summary>
/// <param name="MaxError">The largest error, <c>|analytic − numeric| / max(1, |analytic|, |numeric|)</c>; ∞ if an entry is NaN.</param>
/// <param name="InputIndex">Which input the worst entry belongs to (−1 when there were no entries).</param>
/// <param name="OutputIndex">The row-major index of the output element.</param>
/// <param name="ElementIndex">The row-major index of the input element.</param>
/// <param name="Analytic">The derivative computed by <see cref="Tensor.Backward"/>.</param>
/// <param name="Numeric">The central-difference estimate.</param>
public sealed record GradientCheckResult(double MaxError, int InputIndex, int OutputIndex, int ElementIndex, double Analytic, double Numeric)
{
    /// <summary>True when every entry's error is at most <paramref name="tolerance"/>.</summary>
    public bool IsWithin(double tolerance) => MaxError <= tolerance;

    /// <summary>Describes the worst entry: where it is and both values.</summary>
    public override string ToString() => InputIndex < 0
        ? "no derivatives to compare"
        : string.Create(
            CultureInfo.InvariantCulture,
            $"max error {MaxError:G3} at d(output[{OutputIndex}])/d(input {InputIndex}[{ElementIndex}]): analytic {Analytic:G10}, numeric {Numeric:G10}");
}
