using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>The transpose of a 2-D tensor: <c>y[j, i] = x[i, j]</c> (a copy; tensors are always contiguous).</summary>
    /// <remarks>Backward: <c>dx += dyᵀ</c>.</remarks>
    /// <exception cref="InvalidOperationException">The tensor is not 2-D.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Transpose()
    {
        if (Rank != 2)
        {
            throw new InvalidOperationException($"Transpose: needs a 2-D tensor, got shape {Shapes.Format(_shape)}.");
        }

        CheckAlive(nameof(Transpose));
        Tensor y = TransposeCore();
        return Record(y, this, static (y, x) => x.AccumulateGrad(y.OutputGradient.TransposeCore()));
    }

    private Tensor TransposeCore()
    {
        int rows = _shape[0], columns = _shape[1];
        Tensor y = Empty([columns, rows], DType);
        if (DType == DType.Float32)
        {
            Transposition.Transpose<float>(AsSpan<float>(), rows, columns, y.AsSpan<float>());
        }
        else
        {
            Transposition.Transpose<double>(AsSpan<double>(), rows, columns, y.AsSpan<double>());
        }

        return y;
    }
}
