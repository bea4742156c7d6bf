namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The full Jacobian of <paramref name="function"/> at <paramref name="input"/>, computed in reverse mode:
    /// an m×n tensor with <c>J[i, j] = ∂yᵢ/∂xⱼ</c>, one row per output element (the paper's layout), where
    /// m and n count the elements of the output and the input in row-major order.
    /// </summary>
    /// <remarks>
    /// Runs <paramref name="function"/> once on a copy of <paramref name="input"/> and walks its graph backward
    /// once per output element. An output that does not depend on the input gives a zero Jacobian.
    /// </remarks>
    /// <exception cref="ObjectDisposedException"><paramref name="input"/> was disposed.</exception>
    public static Tensor Jacobian(Func<Tensor, Tensor> function, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        input.CheckAlive(nameof(Jacobian));
        return Jacobians(inputs => function(inputs[0]), [input])[0];
    }

    /// <summary>The Jacobian of <paramref name="function"/> with respect to each of <paramref name="inputs"/>, as in <see cref="Jacobian"/>.</summary>
    internal static Tensor[] Jacobians(Func<Tensor[], Tensor> function, Tensor[] inputs)
    {
        Tensor[] leaves = [.. inputs.Select(x => x.Copy().RequireGrad())];
        Tensor y;
        using (EnableGrad())
        {
            y = function(leaves) ?? throw new InvalidOperationException("Jacobian: the function returned null.");
        }

        int m = y.ElementCount;
        Tensor[] jacobians = [.. leaves.Select(x => Zeros([m, x.ElementCount], x.DType))];
        if (!y.RequiresGrad)
        {
            return jacobians;
        }

        for (int i = 0; i < m; i++)
        {
            Tensor seed = ZerosLike(y);
            seed.SetElement(i, 1);
            // Retained: the graph may run through tensors the function captured, which are not ours to release.
            y.BackwardInto(seed, retainGraph: true, onlyInto: leaves);
            for (int j = 0; j < leaves.Length; j++)
            {
                if (leaves[j].Grad is { } grad)
                {
                    Array.Copy(grad.Storage, 0, jacobians[j].Storage, i * grad.ElementCount, grad.ElementCount);
                    grad.Fill(0);
                }
            }
        }

        return jacobians;
    }
}
