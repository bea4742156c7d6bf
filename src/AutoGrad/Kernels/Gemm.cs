namespace AutoGrad.Kernels;

/// <summary>General matrix multiply on row-major spans: <c>C (+)= op(A) · op(B)</c>.</summary>
/// <remarks>
/// The three layouts the affine op needs are computed without materializing a transpose: each inner
/// loop is a contiguous span operation (a row scaled and added, or a dot product of two rows).
/// This is the reference-quality kernel; cache blocking and register tiling come later, measured.
/// </remarks>
internal static class Gemm
{
    /// <summary>
    /// <c>C[m×n] = A·B</c>, <c>Aᵀ·B</c> or <c>A·Bᵀ</c>; with <paramref name="accumulate"/> the product is added to C.
    /// A is stored [m×k] (or [k×m] when transposed) and B [k×n] (or [n×k] when transposed).
    /// </summary>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        if (transposeA && transposeB)
        {
            throw new NotSupportedException("Aᵀ·Bᵀ is not needed by any op; compute (B·A)ᵀ instead.");
        }

        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        if (transposeB)
        {
            // C[i,j] += A[i,:] · B[j,:]
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<T> aRow = a.Slice(i * k, k);
                Span<T> cRow = c.Slice(i * n, n);
                for (int j = 0; j < n; j++)
                {
                    cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                }
            }
        }
        else if (transposeA)
        {
            // C[i,:] += A[p,i] · B[p,:], A stored [k×m]
            for (int p = 0; p < k; p++)
            {
                ReadOnlySpan<T> bRow = b.Slice(p * n, n);
                ReadOnlySpan<T> aRow = a.Slice(p * m, m);
                for (int i = 0; i < m; i++)
                {
                    Span<T> cRow = c.Slice(i * n, n);
                    TensorPrimitives.MultiplyAdd(bRow, aRow[i], cRow, cRow);
                }
            }
        }
        else
        {
            // C[i,:] += A[i,p] · B[p,:]
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<T> aRow = a.Slice(i * k, k);
                Span<T> cRow = c.Slice(i * n, n);
                for (int p = 0; p < k; p++)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aRow[p], cRow, cRow);
                }
            }
        }
    }
}
