namespace AutoGrad.Kernels;

/// <summary>Reductions along one axis of a row-major array viewed as [outer, axis, inner].</summary>
internal static class Reductions
{
    /// <summary>
    /// <c>values[o,i] = max over a of x[o,a,i]</c> and <c>indices[o,i]</c> = the first <c>a</c> that attains it.
    /// NaN propagates: the first NaN along the axis is the maximum.
    /// </summary>
    public static void MaxAlongAxis<T>(ReadOnlySpan<T> x, int outer, int axisLength, int inner, Span<T> values, Span<int> indices)
        where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<T> block = x.Slice(o * axisLength * inner, axisLength * inner);
            Span<T> bestValues = values.Slice(o * inner, inner);
            Span<int> bestIndices = indices.Slice(o * inner, inner);
            block[..inner].CopyTo(bestValues);
            bestIndices.Clear();
            for (int a = 1; a < axisLength; a++)
            {
                ReadOnlySpan<T> row = block.Slice(a * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    T best = bestValues[i];
                    T candidate = row[i];
                    if (candidate > best || (T.IsNaN(candidate) && !T.IsNaN(best)))
                    {
                        bestValues[i] = candidate;
                        bestIndices[i] = a;
                    }
                }
            }
        }
    }
}
