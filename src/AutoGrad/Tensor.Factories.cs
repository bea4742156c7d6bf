namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>A tensor of the given shape holding a copy of <paramref name="data"/> in row-major order.</summary>
    /// <exception cref="ArgumentException">The data length is not the shape's element count.</exception>
    public static Tensor Create(ReadOnlySpan<float> data, ReadOnlySpan<int> shape) => CreateCore(data, shape);

    /// <inheritdoc cref="Create(ReadOnlySpan{float}, ReadOnlySpan{int})"/>
    public static Tensor Create(ReadOnlySpan<double> data, ReadOnlySpan<int> shape) => CreateCore(data, shape);

    /// <summary>A 1-D tensor holding a copy of <paramref name="values"/>.</summary>
    public static Tensor Create(float[] values) => CreateCore<float>(values, [values.Length]);

    /// <inheritdoc cref="Create(float[])"/>
    public static Tensor Create(double[] values) => CreateCore<double>(values, [values.Length]);

    /// <summary>A 2-D tensor holding a copy of <paramref name="values"/>, rows first.</summary>
    public static Tensor Create(float[,] values) => Create2D(values);

    /// <inheritdoc cref="Create(float[,])"/>
    public static Tensor Create(double[,] values) => Create2D(values);

    /// <summary>A scalar (rank-0) tensor.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full([], value, dtype);

    /// <summary>A tensor filled with zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<int> shape, DType dtype = DType.Float32)
    {
        Tensor result = Empty(shape.ToArray(), dtype);
        Array.Clear(result.Storage);
        return result;
    }

    /// <summary>A tensor filled with ones.</summary>
    public static Tensor Ones(ReadOnlySpan<int> shape, DType dtype = DType.Float32) => Full(shape, 1, dtype);

    /// <summary>A tensor with every element equal to <paramref name="value"/> (rounded to the element type).</summary>
    public static Tensor Full(ReadOnlySpan<int> shape, double value, DType dtype = DType.Float32)
    {
        Tensor result = Empty(shape.ToArray(), dtype);
        if (dtype == DType.Float32)
        {
            result.AsSpan<float>().Fill((float)value);
        }
        else
        {
            result.AsSpan<double>().Fill(value);
        }

        return result;
    }

    /// <summary>A tensor of zeros with the shape and element type of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape, like.DType);

    /// <summary>A tensor of ones with the shape and element type of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Ones(like.Shape, like.DType);

    /// <summary>The 1-D float32 tensor <c>[0, 1, …, stop − 1]</c>; for float64, use <c>Arange(0, stop, dtype: DType.Float64)</c>.</summary>
    /// <remarks>
    /// This overload takes no element type so that <c>Arange(5, 0)</c> means start 5, stop 0 (empty), as in PyTorch:
    /// C# would convert the literal 0 to a <see cref="AutoGrad.DType"/>.
    /// </remarks>
    public static Tensor Arange(int stop) => Arange(0, stop);

    /// <summary>
    /// The 1-D tensor <c>[start, start + step, …]</c> of every value below <paramref name="stop"/>
    /// (above it, for a negative step); element <c>i</c> is computed as <c>start + i·step</c>, as PyTorch does.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="step"/> is zero or not finite.</exception>
    public static Tensor Arange(double start, double stop, double step = 1, DType dtype = DType.Float32)
    {
        if (step == 0 || !double.IsFinite(step) || !double.IsFinite(start) || !double.IsFinite(stop))
        {
            throw new ArgumentException($"Arange: start {start}, stop {stop} and step {step} must be finite and step non-zero.");
        }

        int count = (int)Math.Max(0, Math.Ceiling((stop - start) / step));
        Tensor result = Empty([count], dtype);
        for (int i = 0; i < count; i++)
        {
            result.SetElement(i, start + (i * step));
        }

        return result;
    }

    /// <summary>Samples from the normal distribution N(<paramref name="mean"/>, <paramref name="standardDeviation"/>²).</summary>
    /// <remarks>
    /// The values depend only on the state of <paramref name="random"/>, never on the machine; a float32
    /// tensor holds the float64 samples rounded.
    /// </remarks>
    public static Tensor RandomNormal(ReadOnlySpan<int> shape, RandomSource random, double mean = 0, double standardDeviation = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(random);
        Tensor result = Empty(shape.ToArray(), dtype);
        for (int i = 0; i < result.ElementCount; i++)
        {
            result.SetElement(i, mean + (standardDeviation * random.NextNormal()));
        }

        return result;
    }

    /// <summary>Samples from the uniform distribution on [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <remarks><inheritdoc cref="RandomNormal" path="/remarks"/></remarks>
    public static Tensor RandomUniform(ReadOnlySpan<int> shape, RandomSource random, double low = 0, double high = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(random);
        Tensor result = Empty(shape.ToArray(), dtype);
        for (int i = 0; i < result.ElementCount; i++)
        {
            double value = low + ((high - low) * random.NextDouble());
            if (dtype == DType.Float32 && (float)value >= high && low < high)
            {
                // Rounding to float32 must not reach the excluded upper bound.
                value = float.BitDecrement((float)high);
            }

            result.SetElement(i, value);
        }

        return result;
    }

    /// <summary>An uninitialized tensor that an op is about to overwrite completely.</summary>
    internal static Tensor Empty(int[] shape, DType dtype)
    {
        BufferPool pool = BufferPool.Current;
        ScopeFrame? owner = pool.InnermostScope;

        // A backward rule's scratch reuses a finished working gradient of its shape, object and storage together.
        if (owner is { HoldsTemporaries: true } && TakeFreeGradient(shape, dtype) is { } reused)
        {
            reused.JoinScope(owner);
            return reused;
        }

        int count = Shapes.ElementCount(shape);
        Array storage = dtype == DType.Float32 ? pool.Rent<float>(count) : pool.Rent<double>(count);
        return new(storage, shape, owner);
    }

    private void SetElement(int flatIndex, double value)
    {
        if (Storage is float[] floats)
        {
            floats[flatIndex] = (float)value;
        }
        else
        {
            ((double[])Storage)[flatIndex] = value;
        }
    }

    private static Tensor CreateCore<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape)
        where T : IFloatingPointIeee754<T>
    {
        int count = Shapes.ElementCount(shape);
        if (data.Length != count)
        {
            throw new ArgumentException(
                $"Create: {data.Length} values cannot fill shape {Shapes.Format(shape)}, which holds {count}.", nameof(data));
        }

        T[] storage = BufferPool.Current.Rent<T>(count);
        data.CopyTo(storage);
        return new Tensor(storage, shape.ToArray());
    }

    private static Tensor Create2D<T>(T[,] values)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        T[] data = BufferPool.Current.Rent<T>(rows * columns);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                data[(r * columns) + c] = values[r, c];
            }
        }

        return new Tensor(data, [rows, columns]);
    }
}
