using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Benchmarks.Kernels;

/// <summary>The element-wise operations the kernel benchmarks compare, each implemented four ways on float32 arrays.</summary>
public enum ElementwiseOp
{
    /// <summary><c>z = x + y</c>.</summary>
    Add,

    /// <summary><c>z = x · y</c>.</summary>
    Multiply,

    /// <summary><c>y = max(x, 0)</c>.</summary>
    Relu,

    /// <summary><c>dx += y ≤ 0 ? 0 : dy</c>, from the saved output.</summary>
    ReluBackward,

    /// <summary><c>y = eˣ</c>.</summary>
    Exp,

    /// <summary><c>y = 1 / (1 + e^−x)</c>.</summary>
    Sigmoid,
}

/// <summary>Operands for one element-wise operation and its four implementations.</summary>
internal sealed class ElementwiseCase
{
    private readonly float[] _x;
    private readonly float[] _y;
    private readonly float[] _z;

    public ElementwiseCase(ElementwiseOp op, int length)
    {
        Op = op;
        var random = new Random(1);
        _x = [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 8) - 4))];
        _y = [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 8) - 4))];
        _z = new float[length];
    }

    public ElementwiseOp Op { get; }

    /// <summary>
    /// Bytes read and written per float32 element, counted as STREAM does (no write-allocate traffic): one in and one
    /// out for the unary ops, two in and one out for the binary ones, and for ReLU backward dy, y and the gradient in
    /// and the gradient out.
    /// </summary>
    public static int BytesPerElement(ElementwiseOp op) => op switch
    {
        ElementwiseOp.Relu or ElementwiseOp.Exp or ElementwiseOp.Sigmoid => 8,
        ElementwiseOp.ReluBackward => 16,
        _ => 12,
    };

    public void ScalarLoop()
    {
        float[] x = _x, y = _y, z = _z;
        switch (Op)
        {
            case ElementwiseOp.Add:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = x[i] + y[i];
                }

                break;
            case ElementwiseOp.Multiply:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = x[i] * y[i];
                }

                break;
            case ElementwiseOp.Relu:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = x[i] > 0 ? x[i] : 0;
                }

                break;
            case ElementwiseOp.ReluBackward:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] += y[i] <= 0 ? 0 : x[i];
                }

                break;
            case ElementwiseOp.Exp:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = MathF.Exp(x[i]);
                }

                break;
            case ElementwiseOp.Sigmoid:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = 1 / (1 + MathF.Exp(-x[i]));
                }

                break;
        }
    }

    public void VectorT()
    {
        int width = Vector<float>.Count;
        float[] x = _x, y = _y, z = _z;
        int i = 0;
        for (; i <= z.Length - width; i += width)
        {
            var vx = new Vector<float>(x, i);
            var vy = new Vector<float>(y, i);
            Vector<float> result = Op switch
            {
                ElementwiseOp.Add => vx + vy,
                ElementwiseOp.Multiply => vx * vy,
                ElementwiseOp.Relu => Vector.Max(vx, Vector<float>.Zero),
                ElementwiseOp.ReluBackward => new Vector<float>(z, i) + Vector.ConditionalSelect(Vector.LessThanOrEqual(vy, Vector<float>.Zero), Vector<float>.Zero, vx),
                ElementwiseOp.Exp => Vector.Exp(vx),
                _ => Vector<float>.One / (Vector<float>.One + Vector.Exp(-vx)),
            };
            result.CopyTo(z, i);
        }

        for (; i < z.Length; i++)
        {
            z[i] = Op switch
            {
                ElementwiseOp.Add => x[i] + y[i],
                ElementwiseOp.Multiply => x[i] * y[i],
                ElementwiseOp.Relu => x[i] > 0 ? x[i] : 0,
                ElementwiseOp.ReluBackward => z[i] + (y[i] <= 0 ? 0 : x[i]),
                ElementwiseOp.Exp => MathF.Exp(x[i]),
                _ => 1 / (1 + MathF.Exp(-x[i])),
            };
        }
    }

    public void TensorPrimitivesCall()
    {
        switch (Op)
        {
            case ElementwiseOp.Add:
                System.Numerics.Tensors.TensorPrimitives.Add(_x, _y, _z);
                break;
            case ElementwiseOp.Multiply:
                System.Numerics.Tensors.TensorPrimitives.Multiply(_x, _y, _z);
                break;
            case ElementwiseOp.Relu:
                System.Numerics.Tensors.TensorPrimitives.Max(_x, 0f, _z);
                break;
            case ElementwiseOp.ReluBackward:
                throw new NotSupportedException("TensorPrimitives has no masked select, so no one-pass ReLU backward.");
            case ElementwiseOp.Exp:
                System.Numerics.Tensors.TensorPrimitives.Exp(_x, _z);
                break;
            case ElementwiseOp.Sigmoid:
                System.Numerics.Tensors.TensorPrimitives.Sigmoid(_x, _z);
                break;
        }
    }

    /// <summary>The kernel each op runs, through the same entry point the op uses (split across cores when long).</summary>
    public void AutoGrad()
    {
        switch (Op)
        {
            case ElementwiseOp.Add:
                ParallelElementwise.Map<float, Tensor.AddKernel>(_x, _y, _z);
                break;
            case ElementwiseOp.Multiply:
                ParallelElementwise.Map<float, Tensor.MultiplyKernel>(_x, _y, _z);
                break;
            case ElementwiseOp.Relu:
                ParallelElementwise.Map<float, Tensor.ReluKernel>(_x, _z);
                break;
            case ElementwiseOp.ReluBackward:
                ParallelElementwise.Accumulate<float, Tensor.ReluGradient>(_x, _y, _z);
                break;
            case ElementwiseOp.Exp:
                ParallelElementwise.Map<float, UnaryOperatorKernel<ExpOperator>>(_x, _z);
                break;
            case ElementwiseOp.Sigmoid:
                ParallelElementwise.Map<float, UnaryOperatorKernel<Tensor.SigmoidOperator>>(_x, _z);
                break;
        }
    }
}
