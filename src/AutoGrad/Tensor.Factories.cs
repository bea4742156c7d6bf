using System.Runtime.CompilerServices;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>A tensor of the given shape holding a copy of <paramref name="data"/> in row-major order.</summary>
    /// <exception cref="ArgumentException">The data length is not the shape's element count, or a length is negative.</exception>
    public static Tensor Create(ReadOnlySpan<float> data, ReadOnlySpan<int> shape) => CreateCore(data, shape);

    /// <inheritdoc cref="Create(ReadOnlySpan{float}, ReadOnlySpan{int})"/>
    public static Tensor Create(ReadOnlySpan<double> data, ReadOnlySpan<int> shape) => CreateCore(data, shape);

    /// <summary>A 1-D tensor holding a copy of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Tensor Create(float[] values) => CreateCore<float>(values, [NotNull(values).Length]);

    /// <inheritdoc cref="Create(float[])"/>
    public static Tensor Create(double[] values) => CreateCore<double>(values, [NotNull(values).Length]);

    /// <summary>A 2-D tensor holding a copy of <paramref name="values"/>, rows first.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Tensor Create(float[,] values) => Create2D(values);

    /// <inheritdoc cref="Create(float[,])"/>
    public static Tensor Create(double[,] values) => Create2D(values);

    /// <summary>A scalar (rank-0) tensor.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined element type.</exception>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => FullCore([], value, dtype, nameof(Scalar));

    /// <summary>A tensor filled with zeros.</summary>
    /// <exception cref="ArgumentException">A length is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined element type.</exception>
    public static Tensor Zeros(ReadOnlySpan<int> shape, DType dtype = DType.Float32) => FullCore(shape, 0, dtype, nameof(Zeros));

    /// <summary>A tensor filled with ones.</summary>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static Tensor Ones(ReadOnlySpan<int> shape, DType dtype = DType.Float32) => FullCore(shape, 1, dtype, nameof(Ones));

    /// <summary>A tensor with every element equal to <paramref name="value"/> (rounded to the element type); NaN and ±∞ are values like any other.</summary>
    /// <inheritdoc cref="Zeros" path="/exception"/>
    public static Tensor Full(ReadOnlySpan<int> shape, double value, DType dtype = DType.Float32) => FullCore(shape, value, dtype, nameof(Full));

    private static Tensor FullCore(ReadOnlySpan<int> shape, double value, DType dtype, string op)
    {
        Tensor result = Empty(CheckedShape(shape, op, out int count), count, DTypes.CheckDefined(dtype, op));
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

    /// <summary>A tensor of zeros with the shape and element type of <paramref name="like"/> (which may have been disposed: only its shape is read).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="like"/> is null.</exception>
    public static Tensor ZerosLike(Tensor like) => FullCore(NotNull(like).Shape, 0, like.DType, nameof(ZerosLike));

    /// <summary>A tensor of ones with the shape and element type of <paramref name="like"/> (which may have been disposed: only its shape is read).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="like"/> is null.</exception>
    public static Tensor OnesLike(Tensor like) => FullCore(NotNull(like).Shape, 1, like.DType, nameof(OnesLike));

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
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="start"/>, <paramref name="stop"/> or <paramref name="step"/> is not finite, <paramref name="step"/> is
    /// zero, or <paramref name="dtype"/> is not a defined element type.
    /// </exception>
    /// <exception cref="ArgumentException">The range holds more elements than an array can.</exception>
    public static Tensor Arange(double start, double stop, double step = 1, DType dtype = DType.Float32)
    {
        (string? name, double value) = !double.IsFinite(start) ? (nameof(start), start)
            : !double.IsFinite(stop) ? (nameof(stop), stop)
            : step == 0 || !double.IsFinite(step) ? (nameof(step), step)
            : ((string?)null, 0.0);
        if (name is not null)
        {
            throw new ArgumentOutOfRangeException(
                name, value, $"Arange: start {start}, stop {stop} and step {step} must be finite and step non-zero.");
        }

        double count = Math.Max(0, Math.Ceiling((stop - start) / step));
        if (count > Array.MaxLength)
        {
            throw new ArgumentException(
                $"Arange: start {start}, stop {stop} and step {step} give {count} elements, more than an array can hold.", nameof(stop));
        }

        Tensor result = Empty([(int)count], DTypes.CheckDefined(dtype, nameof(Arange)));
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
    /// <exception cref="ArgumentException">A length is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="mean"/> is not finite, <paramref name="standardDeviation"/> is negative or not finite, or
    /// <paramref name="dtype"/> is not a defined element type. Nothing is drawn from <paramref name="random"/>.
    /// </exception>
    public static Tensor RandomNormal(ReadOnlySpan<int> shape, RandomSource random, double mean = 0, double standardDeviation = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(random);
        RandomArguments.CheckNormal(mean, standardDeviation, nameof(RandomNormal), shape);

        Tensor result = Empty(CheckedShape(shape, nameof(RandomNormal), out int count), count, DTypes.CheckDefined(dtype, nameof(RandomNormal)));
        for (int i = 0; i < result.ElementCount; i++)
        {
            result.SetElement(i, mean + (standardDeviation * random.NextNormal()));
        }

        return result;
    }

    /// <summary>Samples from the uniform distribution on [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <remarks><inheritdoc cref="RandomNormal" path="/remarks"/></remarks>
    /// <exception cref="ArgumentException">A length is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A bound is not finite, <paramref name="low"/> is above <paramref name="high"/>, or <paramref name="dtype"/> is not a
    /// defined element type. Nothing is drawn from <paramref name="random"/>.
    /// </exception>
    public static Tensor RandomUniform(ReadOnlySpan<int> shape, RandomSource random, double low = 0, double high = 1, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(random);
        RandomArguments.CheckUniform(low, high, nameof(RandomUniform), shape);

        Tensor result = Empty(CheckedShape(shape, nameof(RandomUniform), out int count), count, DTypes.CheckDefined(dtype, nameof(RandomUniform)));
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
    // Not inlined: every op allocates through here, and inlining it into an op's dispatch spent the JIT's inlining budget
    // there, leaving the span plumbing of the kernel call as calls (RecordAdd went from 40 to 53 ns).
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Tensor Empty(int[] shape, DType dtype) => Empty(shape, Shapes.ElementCount(shape), dtype);

    /// <summary>As <see cref="Empty(int[], DType)"/>, given the element count of a shape the caller has already checked (counted once).</summary>
    private static Tensor Empty(int[] shape, int count, DType dtype)
    {
        BufferPool pool = BufferPool.Current;
        ScopeFrame? owner = pool.InnermostScope;

        // A backward rule's scratch reuses a finished working gradient of its shape, object and storage together.
        if (owner is { HoldsTemporaries: true } && TakeFreeGradient(shape, dtype) is { } reused)
        {
            reused.JoinScope(owner);
            return reused;
        }

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

    /// <summary>The shape as an array, after checking its lengths, with its element count; the message names <paramref name="op"/>.</summary>
    private static int[] CheckedShape(ReadOnlySpan<int> shape, string op, out int count)
    {
        count = Shapes.ElementCount(shape, nameof(shape), op);
        return shape.ToArray();
    }

    /// <summary>
    /// Returns <paramref name="value"/>, after checking it is not null (the exception names the caller's argument): the one
    /// null check of Tensor's expression-bodied members, the factories here and the operators.
    /// </summary>
    private static T NotNull<T>(T value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return value;
    }

    private static Tensor CreateCore<T>(ReadOnlySpan<T> data, ReadOnlySpan<int> shape)
        where T : IFloatingPointIeee754<T>
    {
        int count = Shapes.ElementCount(shape, nameof(shape), nameof(Create));
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
