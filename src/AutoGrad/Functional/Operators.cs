namespace AutoGrad;

// C# operators and scalar overloads, all composed from the ops. A double operand becomes a scalar
// tensor of the other operand's element type (as PyTorch treats Python numbers), so 2 * x stays float32.
public sealed partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting; see <see cref="Add(Tensor)"/>.</summary>
    public static Tensor operator +(Tensor left, Tensor right) => NotNull(left).Add(right);

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor operator +(Tensor left, double right) => NotNull(left).Add(Scalar(right, left.DType));

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor operator +(double left, Tensor right) => Scalar(left, NotNull(right).DType).Add(right);

    /// <summary>Element-wise difference with broadcasting; see <see cref="Subtract(Tensor)"/>.</summary>
    public static Tensor operator -(Tensor left, Tensor right) => NotNull(left).Subtract(right);

    /// <summary>Subtracts a constant from every element.</summary>
    public static Tensor operator -(Tensor left, double right) => NotNull(left).Subtract(Scalar(right, left.DType));

    /// <summary>Subtracts every element from a constant.</summary>
    public static Tensor operator -(double left, Tensor right) => Scalar(left, NotNull(right).DType).Subtract(right);

    /// <summary>Element-wise negation; see <see cref="Negate"/>.</summary>
    public static Tensor operator -(Tensor value) => NotNull(value).Negate();

    /// <summary>Element-wise product with broadcasting; see <see cref="Multiply(Tensor)"/>.</summary>
    public static Tensor operator *(Tensor left, Tensor right) => NotNull(left).Multiply(right);

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor operator *(Tensor left, double right) => NotNull(left).Multiply(Scalar(right, left.DType));

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor operator *(double left, Tensor right) => Scalar(left, NotNull(right).DType).Multiply(right);

    /// <summary>Element-wise quotient with broadcasting; see <see cref="Divide(Tensor)"/>.</summary>
    public static Tensor operator /(Tensor left, Tensor right) => NotNull(left).Divide(right);

    /// <summary>Divides every element by a constant.</summary>
    public static Tensor operator /(Tensor left, double right) => NotNull(left).Divide(Scalar(right, left.DType));

    /// <summary>Divides a constant by every element.</summary>
    public static Tensor operator /(double left, Tensor right) => Scalar(left, NotNull(right).DType).Divide(right);
}
