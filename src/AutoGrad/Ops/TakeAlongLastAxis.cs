namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// One element from each row of the last axis, chosen by index: for x of shape [..., C],
    /// <c>y[k] = x[k, indices[k]]</c> with y of shape [...] (NumPy's <c>take_along_axis</c>; what cross-entropy uses to
    /// pick each sample's log-probability of its target class).
    /// </summary>
    /// <remarks>Backward: <c>dx[k, indices[k]] += dy[k]</c>; every other element's gradient is 0.</remarks>
    /// <param name="indices">One index in [0, C) per row: as many as the elements of the result.</param>
    /// <exception cref="ArgumentException">The tensor is a scalar, or the number of indices is not the number of rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, C).</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor TakeAlongLastAxis(ReadOnlySpan<int> indices)
    {
        // Capped: the rows of an empty tensor such as [65536, 65536, 0] may be more than any span of indices holds.
        long rows = Rank == 0 ? 0 : Shapes.CappedCount(_shape.AsSpan(0, Rank - 1));
        if (Rank == 0 || indices.Length != rows)
        {
            string needed = rows > Array.MaxLength ? $"more than {Array.MaxLength}" : $"{rows}";
            throw new ArgumentException(
                $"TakeAlongLastAxis: {indices.Length} indices for a tensor of shape {Shapes.Format(_shape)}; needs one per row of the last axis ({needed}).",
                nameof(indices));
        }

        int length = _shape[^1];
        int[] chosen = indices.ToArray();
        for (int k = 0; k < chosen.Length; k++)
        {
            if ((uint)chosen[k] >= (uint)length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), chosen[k], $"TakeAlongLastAxis: index {k} is {chosen[k]}, outside [0, {length}) for shape {Shapes.Format(_shape)}.");
            }
        }

        CheckAlive(nameof(TakeAlongLastAxis));
        Tensor y = Empty(_shape[..^1], DType);
        if (DType == DType.Float32)
        {
            Take(AsSpan<float>(), chosen, length, y.AsSpan<float>());
        }
        else
        {
            Take(AsSpan<double>(), chosen, length, y.AsSpan<double>());
        }

        return Record(y, this, (y, x) =>
        {
            Tensor dx = ZerosLike(x);
            if (x.DType == DType.Float32)
            {
                Put(y.OutputGradient.AsSpan<float>(), chosen, length, dx.AsSpan<float>());
            }
            else
            {
                Put(y.OutputGradient.AsSpan<double>(), chosen, length, dx.AsSpan<double>());
            }

            x.AccumulateGrad(dx);
        });

        static void Take<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> indices, int length, Span<T> y)
        {
            for (int k = 0; k < y.Length; k++)
            {
                y[k] = x[(k * length) + indices[k]];
            }
        }

        static void Put<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> indices, int length, Span<T> dx)
        {
            for (int k = 0; k < dy.Length; k++)
            {
                dx[(k * length) + indices[k]] = dy[k];
            }
        }
    }
}
