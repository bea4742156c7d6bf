namespace AutoGrad.Tests.Properties;

/// <summary>A function of generated inputs, with the expression it computes, for gradient properties.</summary>
internal sealed record GradientCase(string Expression, Func<Tensor[], Tensor> Function, TensorData[] Inputs)
{
    public override string ToString() => $"{Expression} with {Checks.Describe(Inputs)}";
}

/// <summary>A function of inputs of which some are empty (an axis of length 0), and the shape its output must have.</summary>
internal sealed record EmptyCase(string Expression, Func<Tensor[], Tensor> Function, TensorData[] Inputs, int[] OutputShape)
{
    public override string ToString() => $"{Expression} with {Checks.Describe(Inputs)}, expecting output {Shapes.Format(OutputShape)}";
}

/// <summary>The outcomes the properties measure.</summary>
internal static class Checks
{
    /// <summary>
    /// The worst entry of the reverse-mode Jacobian against float64 central differences (<see cref="GradientCheck"/>'s error:
    /// relative above 1, absolute below).
    /// </summary>
    public static Outcome Gradient(GradientCase c)
    {
        GradientCheckResult result = GradientCheck.Run(c.Function, [.. c.Inputs.Select(input => input.ToTensor())]);
        return result.InputIndex < 0 ? Outcome.Fail("no derivatives to compare") : new Outcome(result.MaxError, result.ToString());
    }

    /// <summary>
    /// Forward and backward run on empty tensors; the output has the expected shape; every input gets a gradient of its own
    /// shape, and every gradient element is 0 (a path through an empty tensor is an empty sum), as in PyTorch.
    /// </summary>
    public static Outcome EmptyGradients(EmptyCase c)
    {
        Tensor[] leaves = [.. c.Inputs.Select(input => input.ToTensor().RequireGrad())];
        Tensor y = c.Function(leaves);
        if (!y.Shape.SequenceEqual(c.OutputShape))
        {
            return Outcome.Fail($"output shape {Shapes.Format(y.Shape)}, expected {Shapes.Format(c.OutputShape)}");
        }

        y.Backward(Tensor.OnesLike(y));
        for (int i = 0; i < leaves.Length; i++)
        {
            Tensor? grad = leaves[i].Grad;
            if (grad is null)
            {
                return Outcome.Fail($"input {i} {Shapes.Format(leaves[i].Shape)} got no gradient");
            }

            if (!grad.Shape.SequenceEqual(leaves[i].Shape))
            {
                return Outcome.Fail($"input {i} {Shapes.Format(leaves[i].Shape)} got a gradient of shape {Shapes.Format(grad.Shape)}");
            }

            if (grad.ToArray<double>().Any(g => g != 0))
            {
                return Outcome.Fail($"input {i} {Shapes.Format(leaves[i].Shape)} got a nonzero gradient {grad}");
            }
        }

        return Outcome.Pass;
    }

    public static string Describe(IReadOnlyList<TensorData> inputs)
        => string.Join(", ", inputs.Select((input, i) => $"x{i} = {input}"));
}
