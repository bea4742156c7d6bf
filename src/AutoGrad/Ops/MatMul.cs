using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product <c>C = A·B</c> of an [m, k] and a [k, n] tensor, giving [m, n]. A 1-D operand is a vector:
    /// [m, k]·[k] gives [m], [k]·[k, n] gives [n], and two vectors give their <see cref="Dot"/> product.
    /// </summary>
    /// <remarks>Backward: <c>dA += dC·Bᵀ</c> and <c>dB += Aᵀ·dC</c>, computed without materializing a transpose.</remarks>
    /// <exception cref="ArgumentException">
    /// An operand has rank 0 or above 2, the inner lengths differ, the product holds more elements than an array can, or the
    /// element types differ.
    /// </exception>
    public Tensor MatMul(Tensor other)
    {
        CheckOperand(other, nameof(MatMul));
        if (Rank is < 1 or > 2 || other.Rank is < 1 or > 2 || _shape[^1] != other._shape[0])
        {
            throw new ArgumentException(
                $"MatMul: cannot multiply shapes {Shapes.Format(_shape)} and {Shapes.Format(other._shape)}; "
                + "needs 1-D or 2-D operands whose inner lengths match.",
                nameof(other));
        }

        // Checked here: the vector cases run as products of reshaped operands, whose shapes a message should not show.
        ReadOnlySpan<int> product = (Rank, other.Rank) switch
        {
            (1, 1) => [],
            (2, 1) => [_shape[0]],
            (1, 2) => [other._shape[1]],
            _ => [_shape[0], other._shape[1]],
        };
        _ = Shapes.ResultCount(product, nameof(MatMul), _shape, other._shape);
        return (Rank, other.Rank) switch
        {
            (1, 1) => Dot(other),
            (2, 1) => MatMul2D(other.Reshape(-1, 1)).Reshape(-1),
            (1, 2) => Reshape(1, -1).MatMul2D(other).Reshape(-1),
            _ => MatMul2D(other),
        };
    }

    private Tensor MatMul2D(Tensor other)
    {
        Tensor c = Product(this, false, other, false);
        return Record(c, this, other, static (c, a, b) =>
        {
            Tensor dc = c.OutputGradient;
            a.AccumulateProductGrad(dc, false, b, true);
            b.AccumulateProductGrad(a, true, dc, false);
        }, nameof(MatMul));
    }

    /// <summary>An unrecorded matrix product <c>op(a)·op(b)</c> of 2-D tensors, where op transposes when asked.</summary>
    internal static Tensor Product(Tensor a, bool transposeA, Tensor b, bool transposeB)
    {
        int m = transposeA ? a._shape[1] : a._shape[0];
        int n = transposeB ? b._shape[0] : b._shape[1];
        Tensor c = Empty([m, n], a.DType);
        MultiplyInto(a, transposeA, b, transposeB, c, accumulate: false);
        return c;
    }

    /// <summary><c>c = op(a)·op(b)</c>, or <c>c += op(a)·op(b)</c> with <paramref name="accumulate"/>, for 2-D tensors of fitting shapes.</summary>
    private static void MultiplyInto(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, bool accumulate)
    {
        int m = transposeA ? a._shape[1] : a._shape[0];
        int k = transposeA ? a._shape[0] : a._shape[1];
        int n = transposeB ? b._shape[0] : b._shape[1];
        if (a.DType == DType.Float32)
        {
            Gemm.Multiply<float>(a.AsSpan<float>(), transposeA, b.AsSpan<float>(), transposeB, c.AsSpan<float>(), m, n, k, accumulate);
        }
        else
        {
            Gemm.Multiply<double>(a.AsSpan<double>(), transposeA, b.AsSpan<double>(), transposeB, c.AsSpan<double>(), m, n, k, accumulate);
        }
    }
}
