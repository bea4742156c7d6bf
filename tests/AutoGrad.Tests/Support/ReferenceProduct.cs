namespace AutoGrad.Tests.Support;

/// <summary>The matrix product by the textbook triple loop in float64: the reference of the GEMM and product-op sweeps.</summary>
internal static class ReferenceProduct
{
    /// <summary>
    /// <c>C + op(A)·op(B)</c> (C null for none), row-major [m×n], with each element's sum of the magnitudes of its terms
    /// (and of C's element), the scale that rounding errors are measured against. A is stored [m×k], or [k×m] when
    /// transposed; B [k×n], or [n×k] when transposed.
    /// </summary>
    public static (double Value, double Magnitude)[] Compute(
        double[] a, bool transposeA, double[] b, bool transposeB, double[]? c, int m, int n, int k)
    {
        // A as [m×k] and B as [n×k], so that each element is a dot product of two contiguous rows.
        var aRows = new double[m * k];
        var bColumns = new double[n * k];
        for (int p = 0; p < k; p++)
        {
            for (int i = 0; i < m; i++)
            {
                aRows[(i * k) + p] = transposeA ? a[(p * m) + i] : a[(i * k) + p];
            }

            for (int j = 0; j < n; j++)
            {
                bColumns[(j * k) + p] = transposeB ? b[(j * k) + p] : b[(p * n) + j];
            }
        }

        var expected = new (double, double)[m * n];
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> aRow = aRows.AsSpan(i * k, k);
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<double> bColumn = bColumns.AsSpan(j * k, k);
                double sum = c is null ? 0 : c[(i * n) + j];
                double magnitude = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double term = aRow[p] * bColumn[p];
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                expected[(i * n) + j] = (sum, magnitude);
            }
        }

        return expected;
    }
}
