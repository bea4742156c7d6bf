using AutoGrad.Autodiff;
using AutoGrad.Kernels;

namespace AutoGrad;

// The in-place updates optimizers and initializers are built from (PyTorch's add_, mul_, addcmul_, addcdiv_,
// lerp_, sqrt_, fill_, copy_). They are unrecorded, so each refuses a tensor whose change would falsify a
// gradient; operands must have this tensor's shape and element type (no broadcasting).
public sealed partial class Tensor
{
    /// <summary>
    /// <c>this += scale · other</c>, in place and unrecorded: the update step of an optimizer
    /// (<c>w.AddInPlace(w.Grad, -learningRate)</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    /// <exception cref="InvalidOperationException">
    /// This tensor was produced by an op, or requires a gradient while ops are being recorded: changing it
    /// would silently falsify gradients. Update parameters inside <see cref="NoGrad"/>.
    /// </exception>
    /// <exception cref="ObjectDisposedException">This tensor or an operand was disposed; nothing changes.</exception>
    public void AddInPlace(Tensor other, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckInPlace(nameof(AddInPlace), other, nameof(other));
        if (DType == DType.Float32)
        {
            Span<float> values = AsSpan<float>();
            TensorPrimitives.MultiplyAdd(other.AsSpan<float>(), (float)scale, values, values);
        }
        else
        {
            Span<double> values = AsSpan<double>();
            TensorPrimitives.MultiplyAdd(other.AsSpan<double>(), scale, values, values);
        }
    }

    /// <summary><c>this += value</c> at every element, in place and unrecorded.</summary>
    /// <exception cref="InvalidOperationException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public void AddInPlace(double value)
    {
        CheckInPlace(nameof(AddInPlace));
        if (DType == DType.Float32)
        {
            TensorPrimitives.Add(AsSpan<float>(), (float)value, AsSpan<float>());
        }
        else
        {
            TensorPrimitives.Add(AsSpan<double>(), value, AsSpan<double>());
        }
    }

    /// <summary><c>this *= factor</c> at every element, in place and unrecorded.</summary>
    /// <exception cref="InvalidOperationException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public void MultiplyInPlace(double factor)
    {
        CheckInPlace(nameof(MultiplyInPlace));
        if (DType == DType.Float32)
        {
            TensorPrimitives.Multiply(AsSpan<float>(), (float)factor, AsSpan<float>());
        }
        else
        {
            TensorPrimitives.Multiply(AsSpan<double>(), factor, AsSpan<double>());
        }
    }

    /// <summary>
    /// <c>this += scale · x ⊙ y</c>, in place and unrecorded, in one pass (PyTorch's <c>addcmul_</c>):
    /// Adam's <c>v += (1 − β₂) g ⊙ g</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    /// <exception cref="InvalidOperationException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public void AddProductInPlace(Tensor x, Tensor y, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckInPlace(nameof(AddProductInPlace), x, nameof(x), y, nameof(y));
        if (DType == DType.Float32)
        {
            Elementwise.Accumulate<float, ScaledProductOperator>(x.AsSpan<float>(), y.AsSpan<float>(), (float)scale, AsSpan<float>());
        }
        else
        {
            Elementwise.Accumulate<double, ScaledProductOperator>(x.AsSpan<double>(), y.AsSpan<double>(), scale, AsSpan<double>());
        }
    }

    /// <summary>
    /// <c>this += scale · numerator ⊘ denominator</c>, in place and unrecorded, in one pass (PyTorch's
    /// <c>addcdiv_</c>): Adam's <c>θ −= η̂ · m / d</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    /// <exception cref="InvalidOperationException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public void AddQuotientInPlace(Tensor numerator, Tensor denominator, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(numerator);
        ArgumentNullException.ThrowIfNull(denominator);
        CheckInPlace(nameof(AddQuotientInPlace), numerator, nameof(numerator), denominator, nameof(denominator));
        if (DType == DType.Float32)
        {
            Elementwise.Accumulate<float, ScaledQuotientOperator>(
                numerator.AsSpan<float>(), denominator.AsSpan<float>(), (float)scale, AsSpan<float>());
        }
        else
        {
            Elementwise.Accumulate<double, ScaledQuotientOperator>(
                numerator.AsSpan<double>(), denominator.AsSpan<double>(), scale, AsSpan<double>());
        }
    }

    /// <summary>
    /// <c>this += weight · (end − this)</c>, in place and unrecorded (PyTorch's <c>lerp_</c>): the moving
    /// average <c>m ← β m + (1 − β) g</c> is <c>m.LerpInPlace(g, 1 − β)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or element types differ.</exception>
    /// <exception cref="InvalidOperationException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public void LerpInPlace(Tensor end, double weight)
    {
        ArgumentNullException.ThrowIfNull(end);
        CheckInPlace(nameof(LerpInPlace), end, nameof(end));
        if (DType == DType.Float32)
        {
            TensorPrimitives.Lerp(AsSpan<float>(), end.AsSpan<float>(), (float)weight, AsSpan<float>());
        }
        else
        {
            TensorPrimitives.Lerp(AsSpan<double>(), end.AsSpan<double>(), weight, AsSpan<double>());
        }
    }

    /// <summary><c>this = √this</c> at every element, in place and unrecorded.</summary>
    /// <exception cref="InvalidOperationException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public void SqrtInPlace()
    {
        CheckInPlace(nameof(SqrtInPlace));
        if (DType == DType.Float32)
        {
            TensorPrimitives.Sqrt(AsSpan<float>(), AsSpan<float>());
        }
        else
        {
            TensorPrimitives.Sqrt(AsSpan<double>(), AsSpan<double>());
        }
    }

    /// <summary>Sets every element to <paramref name="value"/>, in place and unrecorded.</summary>
    /// <exception cref="InvalidOperationException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public void FillInPlace(double value)
    {
        CheckInPlace(nameof(FillInPlace));
        Fill(value);
    }

    /// <summary>
    /// Copies <paramref name="source"/>'s elements into this tensor, in place and unrecorded, converting the element
    /// type if it differs (PyTorch's <c>copy_</c>): how initializers and weight loading set parameters.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    /// <exception cref="InvalidOperationException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    /// <exception cref="ObjectDisposedException">As for <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckSameShape(nameof(CopyFrom), source, nameof(source));
        source.CheckAlive(nameof(CopyFrom));
        CheckWritable(nameof(CopyFrom));
        switch (DType, source.DType)
        {
            case (DType.Float32, DType.Float32):
                source.AsSpan<float>().CopyTo(AsSpan<float>());
                break;
            case (DType.Float64, DType.Float64):
                source.AsSpan<double>().CopyTo(AsSpan<double>());
                break;
            case (DType.Float32, _):
                TensorPrimitives.ConvertTruncating<double, float>(source.AsSpan<double>(), AsSpan<float>());
                break;
            default:
                TensorPrimitives.ConvertTruncating<float, double>(source.AsSpan<float>(), AsSpan<double>());
                break;
        }
    }

    /// <summary>Throws unless this tensor may change in place; then records the write in the version counter.</summary>
    private void CheckInPlace(string op) => CheckWritable(op);

    /// <summary>
    /// Throws unless this tensor may change in place and <paramref name="operand"/> matches its shape and element type
    /// (an <see cref="ArgumentException"/> names the parameter <paramref name="name"/>); then records the write in the version counter.
    /// </summary>
    private void CheckInPlace(string op, Tensor operand, string name)
    {
        CheckInPlaceOperand(operand, name, op);
        CheckWritable(op);
    }

    /// <summary>As <see cref="CheckInPlace(string, Tensor, string)"/>, for two operands.</summary>
    private void CheckInPlace(string op, Tensor first, string firstName, Tensor second, string secondName)
    {
        CheckInPlaceOperand(first, firstName, op);
        CheckInPlaceOperand(second, secondName, op);
        CheckWritable(op);
    }

    /// <summary>Throws unless <paramref name="operand"/> has this tensor's element type and shape and neither was disposed.</summary>
    private void CheckInPlaceOperand(Tensor operand, string name, string op)
    {
        CheckOperand(operand, op, name);
        CheckSameShape(op, operand, name);
    }

    private void CheckSameShape(string op, Tensor operand, string name)
    {
        if (!operand.Shape.SequenceEqual(Shape))
        {
            throw new ArgumentException(
                $"{op}: shapes {Shapes.Format(Shape)} and {Shapes.Format(operand.Shape)} differ; an in-place update needs equal shapes.", name);
        }
    }

    /// <summary>
    /// Throws if this tensor was disposed or changing it would falsify a gradient; otherwise records the write in the
    /// version counter. Called after every operand has passed its checks, so a rejected update changes nothing.
    /// </summary>
    private void CheckWritable(string op)
    {
        CheckAlive(op);
        if (!IsLeaf || (RequiresGrad && GradMode.IsEnabled))
        {
            throw new InvalidOperationException(
                $"{op}: a tensor that takes part in a recorded computation cannot change in place; "
                + "update parameters inside a Tensor.NoGrad() scope.");
        }

        MarkModified();
    }
}
