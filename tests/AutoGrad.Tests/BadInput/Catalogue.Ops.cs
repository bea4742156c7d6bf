using static AutoGrad.Tests.BadInput.BadInputKind;

namespace AutoGrad.Tests.BadInput;

// The differentiable ops and their operators: shapes that do not broadcast or fit, wrong ranks, mixed element types,
// null and disposed operands, axes and indices out of range, and arguments that must be finite.
public static partial class Catalogue
{
    private static readonly (string Op, string EntryPoint, Func<Tensor, Tensor, Tensor> Apply)[] BinaryOps =
    [
        ("Add", "Tensor.Add", (a, b) => a.Add(b)),
        ("Subtract", "Tensor.Subtract", (a, b) => a.Subtract(b)),
        ("Multiply", "Tensor.Multiply", (a, b) => a.Multiply(b)),
        ("Divide", "Tensor.Divide", (a, b) => a.Divide(b)),
        ("Maximum", "Tensor.Maximum", (a, b) => a.Maximum(b)),
        ("Minimum", "Tensor.Minimum", (a, b) => a.Minimum(b)),
        ("Pow", "Tensor.Pow", (a, b) => a.Pow(b)),
        ("Add", "Tensor.op_Addition", (a, b) => a + b),
        ("Subtract", "Tensor.op_Subtraction", (a, b) => a - b),
        ("Multiply", "Tensor.op_Multiply", (a, b) => a * b),
        ("Divide", "Tensor.op_Division", (a, b) => a / b),
    ];

    private static readonly (string Op, string EntryPoint, string Call, Func<Tensor, Tensor> Apply)[] UnaryOps =
    [
        ("Abs", "Tensor.Abs", "x.Abs()", x => x.Abs()),
        ("Exp", "Tensor.Exp", "x.Exp()", x => x.Exp()),
        ("Log", "Tensor.Log", "x.Log()", x => x.Log()),
        ("Negate", "Tensor.Negate", "x.Negate()", x => x.Negate()),
        ("Negate", "Tensor.op_UnaryNegation", "-x", x => -x),
        ("Relu", "Tensor.Relu", "x.Relu()", x => x.Relu()),
        ("LeakyRelu", "Tensor.LeakyRelu", "x.LeakyRelu()", x => x.LeakyRelu()),
        ("Sigmoid", "Tensor.Sigmoid", "x.Sigmoid()", x => x.Sigmoid()),
        ("Softplus", "Tensor.Softplus", "x.Softplus()", x => x.Softplus()),
        ("Sqrt", "Tensor.Sqrt", "x.Sqrt()", x => x.Sqrt()),
        ("Tanh", "Tensor.Tanh", "x.Tanh()", x => x.Tanh()),
        ("Sin", "Tensor.Sin", "x.Sin()", x => x.Sin()),
        ("Cos", "Tensor.Cos", "x.Cos()", x => x.Cos()),
        ("Sum", "Tensor.Sum", "x.Sum()", x => x.Sum()),
        ("Sum", "Tensor.Sum", "x.Sum(1)", x => x.Sum(1)),
        ("Mean", "Tensor.Mean", "x.Mean()", x => x.Mean()),
        ("Mean", "Tensor.Mean", "x.Mean(0)", x => x.Mean(0)),
        ("Max", "Tensor.Max", "x.Max(1)", x => x.Max(1)),
        ("Softmax", "Tensor.Softmax", "x.Softmax()", x => x.Softmax()),
        ("LogSoftmax", "Tensor.LogSoftmax", "x.LogSoftmax()", x => x.LogSoftmax()),
        ("Reshape", "Tensor.Reshape", "x.Reshape(-1)", x => x.Reshape(-1)),
        ("BroadcastTo", "Tensor.BroadcastTo", "x.BroadcastTo(4, 2, 3)", x => x.BroadcastTo(4, 2, 3)),
        ("Transpose", "Tensor.Transpose", "x.Transpose()", x => x.Transpose()),
        ("ToDType", "Tensor.ToDType", "x.ToDType(DType.Float64)", x => x.ToDType(DType.Float64)),
        ("TakeAlongLastAxis", "Tensor.TakeAlongLastAxis", "x.TakeAlongLastAxis([0, 2])", x => x.TakeAlongLastAxis([0, 2])),
        ("Pow", "Tensor.Pow", "x.Pow(2)", x => x.Pow(2)),
        ("Add", "Tensor.op_Addition", "x + 1", x => x + 1),
        ("Subtract", "Tensor.op_Subtraction", "1 - x", x => 1 - x),
        ("Multiply", "Tensor.op_Multiply", "2 * x", x => 2 * x),
        ("Divide", "Tensor.op_Division", "x / 2", x => x / 2),
    ];

    private static IEnumerable<BadInputCase> OpCases()
    {
        foreach ((string op, string entry, Func<Tensor, Tensor, Tensor> apply) in BinaryOps)
        {
            yield return Rejects<ArgumentException>(entry, ShapeMismatch, $"{op} of [2, 3] and [4]", [op, "[2, 3]", "[4]", "broadcast"], a =>
            {
                Tensor x = a.Recorded(2, 3), y = a.Leaf(4);
                return () => apply(x, y);
            });
            yield return Rejects<ArgumentException>(entry, ShapeMismatch, $"{op} of [3, 2] and [2, 3, 3]", [op, "[3, 2]", "[2, 3, 3]"], a =>
            {
                Tensor x = a.Leaf(3, 2), y = a.Recorded(2, 3, 3);
                return () => apply(x, y);
            });
            yield return Rejects<ArgumentException>(entry, BadInputKind.DType, $"{op} of float32 and float64", [op, "float32", "float64"], a =>
            {
                Tensor x = a.Recorded(2), y = a.Leaf64(2);
                return () => apply(x, y);
            });
            yield return Rejects<ArgumentNullException>(entry, Null, $"{op} with a null right operand", ["other"], a =>
            {
                Tensor x = a.Recorded(2);
                return () => apply(x, null!);
            });
            yield return Rejects<ObjectDisposedException>(entry, Disposed, $"{op} with a disposed right operand", [op, "[2]", "disposed"], a =>
            {
                Tensor x = a.Recorded(2), y = a.Disposed(2);
                return () => apply(x, y);
            });
            yield return Rejects<ObjectDisposedException>(entry, Disposed, $"{op} with a disposed left operand", [op, "[3]", "disposed"], a =>
            {
                Tensor x = a.Disposed(3), y = a.Leaf(3);
                return () => apply(x, y);
            });
        }

        yield return Rejects<ArgumentNullException>("Tensor.op_Addition", Null, "null + y", ["left"], a => { Tensor y = a.Leaf(2); return () => _ = null! + y; });
        yield return Rejects<ArgumentNullException>("Tensor.op_Addition", Null, "null + 1", ["left"], a => () => _ = (Tensor)null! + 1);
        yield return Rejects<ArgumentNullException>("Tensor.op_Addition", Null, "1 + null", ["right"], a => () => _ = 1 + (Tensor)null!);
        yield return Rejects<ArgumentNullException>("Tensor.op_Subtraction", Null, "null - 1", ["left"], a => () => _ = (Tensor)null! - 1);
        yield return Rejects<ArgumentNullException>("Tensor.op_Subtraction", Null, "1 - null", ["right"], a => () => _ = 1 - (Tensor)null!);
        yield return Rejects<ArgumentNullException>("Tensor.op_Multiply", Null, "null * 2", ["left"], a => () => _ = (Tensor)null! * 2);
        yield return Rejects<ArgumentNullException>("Tensor.op_Multiply", Null, "2 * null", ["right"], a => () => _ = 2 * (Tensor)null!);
        yield return Rejects<ArgumentNullException>("Tensor.op_Division", Null, "null / 2", ["left"], a => () => _ = (Tensor)null! / 2);
        yield return Rejects<ArgumentNullException>("Tensor.op_Division", Null, "2 / null", ["right"], a => () => _ = 2 / (Tensor)null!);
        yield return Rejects<ArgumentNullException>("Tensor.op_UnaryNegation", Null, "-null", ["value"], a => () => _ = -(Tensor)null!);

        foreach ((string op, string entry, string call, Func<Tensor, Tensor> apply) in UnaryOps)
        {
            yield return Rejects<ObjectDisposedException>(entry, Disposed, $"{call} of a disposed x of [2, 3]", [op, "[2, 3]", "disposed"], a =>
            {
                Tensor x = a.Disposed(2, 3);
                return () => apply(x);
            });
        }

        // Axes out of range, wrong ranks, empty axes.
        foreach ((string op, Func<Tensor, int, Tensor> apply) in new (string, Func<Tensor, int, Tensor>)[]
        {
            ("Sum", (x, axis) => x.Sum(axis)), ("Mean", (x, axis) => x.Mean(axis)), ("Max", (x, axis) => x.Max(axis)),
            ("Softmax", (x, axis) => x.Softmax(axis)), ("LogSoftmax", (x, axis) => x.LogSoftmax(axis)),
        })
        {
            foreach (int axis in new[] { 2, -3, int.MinValue })
            {
                yield return Rejects<ArgumentOutOfRangeException>($"Tensor.{op}", OutOfRange, $"{op} along axis {axis} of [2, 3]", [op, $"axis {axis}", "[2, 3]"], a =>
                {
                    Tensor x = a.Recorded(2, 3);
                    return () => apply(x, axis);
                });
            }

            yield return Rejects<ArgumentOutOfRangeException>($"Tensor.{op}", WrongRank, $"{op} along axis 0 of a scalar", [op, "axis 0", "[]"], a =>
            {
                Tensor x = a.Leaf();
                return () => apply(x, 0);
            });
        }

        yield return Rejects<ArgumentException>("Tensor.Max", Size, "Max along the empty axis of [2, 0]", ["Max", "[2, 0]", "empty"], a =>
        {
            Tensor x = a.Leaf(2, 0);
            return () => x.Max(1);
        });

        yield return Rejects<InvalidOperationException>("Tensor.Transpose", WrongRank, "Transpose of [2, 3, 4]", ["Transpose", "[2, 3, 4]"], a =>
        {
            Tensor x = a.Recorded(2, 3, 4);
            return () => x.Transpose();
        });
        yield return Rejects<InvalidOperationException>("Tensor.Transpose", WrongRank, "Transpose of [3]", ["Transpose", "[3]"], a =>
        {
            Tensor x = a.Recorded(3);
            return () => x.Transpose();
        });

        // Reshape and BroadcastTo: sizes.
        foreach ((int[] shape, string words) in new (int[], string)[]
        {
            ([4, 2], "cannot reshape"), ([-1, -1], "more than one"), ([-2, 3], "negative"), ([2, -3], "negative"), ([0, -1], "cannot reshape"),
            ([7, -1], "cannot reshape"),
        })
        {
            yield return Rejects<ArgumentException>("Tensor.Reshape", Size, $"Reshape of [2, 3] into {Shapes.Format(shape)}", ["Reshape", Shapes.Format(shape), words], a =>
            {
                Tensor x = a.Recorded(2, 3);
                return () => x.Reshape(shape);
            });
        }

        yield return Rejects<ArgumentException>("Tensor.Reshape", Size, "Reshape of [0] into [0, -1]", ["Reshape", "[0, -1]"], a =>
        {
            Tensor x = a.Recorded(0);
            return () => x.Reshape(0, -1);
        });

        foreach ((int[] shape, string words) in new (int[], string)[] { ([4, 3], "[2, 3]"), ([3], "[2, 3]"), ([2, -3], "negative"), ([], "[2, 3]") })
        {
            yield return Rejects<ArgumentException>("Tensor.BroadcastTo", Size, $"BroadcastTo of [2, 3] to {Shapes.Format(shape)}", ["BroadcastTo", Shapes.Format(shape), words], a =>
            {
                Tensor x = a.Recorded(2, 3);
                return () => x.BroadcastTo(shape);
            });
        }

        // Products: ranks and inner lengths.
        foreach ((string op, string entry, int[] left, int[] right, Func<Tensor, Tensor, Tensor> apply, BadInputKind kind) in new (string, string, int[], int[], Func<Tensor, Tensor, Tensor>, BadInputKind)[]
        {
            ("Dot", "Tensor.Dot", [3], [4], (a, b) => a.Dot(b), ShapeMismatch),
            ("Dot", "Tensor.Dot", [3, 1], [3], (a, b) => a.Dot(b), WrongRank),
            ("Dot", "Tensor.Dot", [], [], (a, b) => a.Dot(b), WrongRank),
            ("MatMul", "Tensor.MatMul", [2, 3], [2, 3], (a, b) => a.MatMul(b), ShapeMismatch),
            ("MatMul", "Tensor.MatMul", [2, 3, 4], [4], (a, b) => a.MatMul(b), WrongRank),
            ("MatMul", "Tensor.MatMul", [], [3], (a, b) => a.MatMul(b), WrongRank),
            ("MatMul", "Tensor.MatMul", [3], [], (a, b) => a.MatMul(b), WrongRank),
            ("MatMul", "Tensor.MatMul", [3], [4, 2], (a, b) => a.MatMul(b), ShapeMismatch),
            ("Affine", "Tensor.Affine", [5, 3], [2, 4], (a, b) => a.Affine(b), ShapeMismatch),
            ("Affine", "Tensor.Affine", [5, 3], [3], (a, b) => a.Affine(b), WrongRank),
            ("Affine", "Tensor.Affine", [], [2, 1], (a, b) => a.Affine(b), WrongRank),
            ("Affine", "Tensor.Affine", [2, 2, 3], [4, 3], (a, b) => a.Affine(b), WrongRank),
            ("MseLoss", "Tensor.MseLoss", [4, 1], [4], Tensor.MseLoss, ShapeMismatch),
        })
        {
            yield return Rejects<ArgumentException>(entry, kind, $"{op} of {Shapes.Format(left)} and {Shapes.Format(right)}", [op, Shapes.Format(left), Shapes.Format(right)], a =>
            {
                Tensor x = a.Recorded(left), y = a.Leaf(right);
                return () => apply(x, y);
            });
        }

        foreach ((int[] bias, string words) in new (int[], string)[] { ([3], "[3]"), ([], "[]"), ([2, 1], "[2, 1]") })
        {
            yield return Rejects<ArgumentException>("Tensor.Affine", ShapeMismatch, $"Affine of [5, 3] and [2, 3] with bias {words}", ["Affine", "[5, 3]", "[2, 3]", words], a =>
            {
                Tensor x = a.Recorded(5, 3), w = a.Leaf(2, 3), b = a.Leaf(bias);
                return () => x.Affine(w, b);
            });
        }

        foreach ((string op, string entry, Func<Tensor, Tensor, Tensor> apply) in new (string, string, Func<Tensor, Tensor, Tensor>)[]
        {
            ("MatMul", "Tensor.MatMul", (a, b) => a.MatMul(b)), ("Affine", "Tensor.Affine", (a, b) => a.Affine(b)),
            ("MseLoss", "Tensor.MseLoss", Tensor.MseLoss),
        })
        {
            yield return Rejects<ArgumentException>(entry, BadInputKind.DType, $"{op} of float32 and float64", [op, "float32", "float64"], a =>
            {
                Tensor x = a.Recorded(3, 3), y = a.Leaf64(3, 3);
                return () => apply(x, y);
            });
            yield return Rejects<ObjectDisposedException>(entry, Disposed, $"{op} with a disposed operand", [op, "[3, 3]", "disposed"], a =>
            {
                Tensor x = a.Recorded(3, 3), y = a.Disposed(3, 3);
                return () => apply(x, y);
            });
        }

        yield return Rejects<ArgumentException>("Tensor.Dot", BadInputKind.DType, "Dot of float32 and float64", ["Dot", "float32", "float64"], a =>
        {
            Tensor x = a.Recorded(3), y = a.Leaf64(3);
            return () => x.Dot(y);
        });
        yield return Rejects<ObjectDisposedException>("Tensor.Dot", Disposed, "Dot with a disposed operand", ["Dot", "[3]", "disposed"], a =>
        {
            Tensor x = a.Recorded(3), y = a.Disposed(3);
            return () => x.Dot(y);
        });
        yield return Rejects<ArgumentException>("Tensor.Affine", BadInputKind.DType, "Affine with a float64 bias", ["Affine", "float32", "float64"], a =>
        {
            Tensor x = a.Recorded(5, 3), w = a.Leaf(2, 3), b = a.Leaf64(2);
            return () => x.Affine(w, b);
        });
        yield return Rejects<ObjectDisposedException>("Tensor.Affine", Disposed, "Affine with a disposed bias", ["Affine", "[2]", "disposed"], a =>
        {
            Tensor x = a.Recorded(5, 3), w = a.Leaf(2, 3), b = a.Disposed(2);
            return () => x.Affine(w, b);
        });

        foreach ((string op, string entry, Action<Tensor> apply, string parameter) in new (string, string, Action<Tensor>, string)[]
        {
            ("Dot", "Tensor.Dot", x => x.Dot(null!), "other"), ("MatMul", "Tensor.MatMul", x => x.MatMul(null!), "other"),
            ("Affine", "Tensor.Affine", x => x.Affine(null!), "weight"), ("MseLoss", "Tensor.MseLoss", x => Tensor.MseLoss(x, null!), "target"),
            ("MseLoss", "Tensor.MseLoss", x => Tensor.MseLoss(null!, x), "prediction"),
            ("CrossEntropyLoss", "Tensor.CrossEntropyLoss", _ => Tensor.CrossEntropyLoss(null!, [0]), "logits"),
        })
        {
            yield return Rejects<ArgumentNullException>(entry, Null, $"{op} with a null {parameter}", [parameter], a =>
            {
                Tensor x = a.Recorded(3);
                return () => apply(x);
            });
        }

        // Indices.
        yield return Rejects<ArgumentException>("Tensor.TakeAlongLastAxis", ShapeMismatch, "TakeAlongLastAxis of [2, 3] with 3 indices", ["TakeAlongLastAxis", "[2, 3]", "3 indices"], a =>
        {
            Tensor x = a.Recorded(2, 3);
            return () => x.TakeAlongLastAxis([0, 1, 2]);
        });
        yield return Rejects<ArgumentException>("Tensor.TakeAlongLastAxis", WrongRank, "TakeAlongLastAxis of a scalar", ["TakeAlongLastAxis", "[]"], a =>
        {
            Tensor x = a.Recorded();
            return () => x.TakeAlongLastAxis([0]);
        });
        foreach (int index in new[] { 3, -1, int.MaxValue })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Tensor.TakeAlongLastAxis", OutOfRange, $"TakeAlongLastAxis of [2, 3] at index {index}", ["TakeAlongLastAxis", "[2, 3]", $"{index}"], a =>
            {
                Tensor x = a.Recorded(2, 3);
                return () => x.TakeAlongLastAxis([0, index]);
            });
        }

        yield return Rejects<ArgumentException>("Tensor.CrossEntropyLoss", WrongRank, "CrossEntropyLoss of logits [6]", ["CrossEntropyLoss", "[6]"], a =>
        {
            Tensor x = a.Recorded(6);
            return () => Tensor.CrossEntropyLoss(x, [0]);
        });
        yield return Rejects<ArgumentException>("Tensor.CrossEntropyLoss", ShapeMismatch, "CrossEntropyLoss of logits [2, 3] with 3 targets", ["CrossEntropyLoss", "[2, 3]", "3 targets"], a =>
        {
            Tensor x = a.Recorded(2, 3);
            return () => Tensor.CrossEntropyLoss(x, [0, 1, 2]);
        });
        foreach (int target in new[] { 3, -1 })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Tensor.CrossEntropyLoss", OutOfRange, $"CrossEntropyLoss with target class {target} of 3", ["CrossEntropyLoss", "[2, 3]", $"class {target}"], a =>
            {
                Tensor x = a.Recorded(2, 3);
                return () => Tensor.CrossEntropyLoss(x, [0, target]);
            });
        }

        yield return Rejects<ObjectDisposedException>("Tensor.CrossEntropyLoss", Disposed, "CrossEntropyLoss of disposed logits", ["CrossEntropyLoss", "[2, 3]", "disposed"], a =>
        {
            Tensor x = a.Disposed(2, 3);
            return () => Tensor.CrossEntropyLoss(x, [0, 1]);
        });

        // Arguments that must be finite or defined.
        foreach (double slope in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            yield return Rejects<ArgumentOutOfRangeException>("Tensor.LeakyRelu", NonFinite, $"LeakyRelu with slope {slope}", ["LeakyRelu", "negativeSlope", "[2, 3]"], a =>
            {
                Tensor x = a.Recorded(2, 3);
                return () => x.LeakyRelu(slope);
            });
        }

        yield return Rejects<ArgumentOutOfRangeException>("Tensor.ToDType", BadInputKind.DType, "ToDType to an undefined element type", ["ToDType", "7", "[2, 3]"], a =>
        {
            Tensor x = a.Recorded(2, 3);
            return () => x.ToDType((DType)7);
        });

        // Results too large for an array: the message names the op called, its operands' shapes and the result's.
        foreach ((string op, string entry, Func<Tensor, Tensor, Tensor> apply) in BinaryOps)
        {
            yield return Rejects<ArgumentException>(entry, Size, $"{op} of [65536, 1] and [1, 65536] (2³² elements)", [op, "[65536, 1]", "[1, 65536]", "[65536, 65536]", "more elements"], a =>
            {
                Tensor x = a.Data(65536, 1), y = a.Leaf(1, 65536);
                return () => apply(x, y);
            });
        }

        foreach ((string op, string entry, int[] left, int[] right, int[] result, Func<Tensor, Tensor, Tensor> apply) in new (string, string, int[], int[], int[], Func<Tensor, Tensor, Tensor>)[]
        {
            ("MatMul", "Tensor.MatMul", [65536, 1], [1, 65536], [65536, 65536], (a, b) => a.MatMul(b)),
            ("MatMul", "Tensor.MatMul", [0], [0, int.MaxValue], [int.MaxValue], (a, b) => a.MatMul(b)),
            ("MatMul", "Tensor.MatMul", [int.MaxValue, 0], [0], [int.MaxValue], (a, b) => a.MatMul(b)),
            ("Affine", "Tensor.Affine", [65536, 1], [65536, 1], [65536, 65536], (a, b) => a.Affine(b)),
            ("Affine", "Tensor.Affine", [int.MaxValue, 0], [2, 0], [int.MaxValue, 2], (a, b) => a.Affine(b)),
        })
        {
            yield return Rejects<ArgumentException>(entry, Size, $"{op} of {Shapes.Format(left)} and {Shapes.Format(right)} (too many elements)", [op, Shapes.Format(left), Shapes.Format(right), Shapes.Format(result), "more elements"], a =>
            {
                Tensor x = a.Leaf(left), y = a.Leaf(right);
                return () => apply(x, y);
            });
        }

        yield return Rejects<ArgumentException>("Tensor.Affine", Size, "Affine of [65536, 1] and [65536, 1] with bias [65536] (2³² elements)", ["Affine", "[65536, 1]", "[65536]", "[65536, 65536]", "more elements"], a =>
        {
            Tensor x = a.Leaf(65536, 1), w = a.Leaf(65536, 1), b = a.Leaf(65536);
            return () => x.Affine(w, b);
        });

        foreach ((string op, string call, int[] shape, int[] result, Func<Tensor, Tensor> apply) in new (string, string, int[], int[], Func<Tensor, Tensor>)[]
        {
            ("Sum", "x.Sum(0)", [0, int.MaxValue], [int.MaxValue], x => x.Sum(0)),
            ("Sum", "x.Sum(0, keepDims: true)", [0, int.MaxValue], [1, int.MaxValue], x => x.Sum(0, keepDims: true)),
            ("Sum", "x.Sum(2)", [65536, 65536, 0], [65536, 65536], x => x.Sum(2)),
            ("Mean", "x.Mean(0)", [0, int.MaxValue], [int.MaxValue], x => x.Mean(0)),
            ("BroadcastTo", "x.BroadcastTo(65536, 65536)", [1], [65536, 65536], x => x.BroadcastTo(65536, 65536)),
            ("BroadcastTo", "x.BroadcastTo(65536, 65536, 2)", [2], [65536, 65536, 2], x => x.BroadcastTo(65536, 65536, 2)),
        })
        {
            yield return Rejects<ArgumentException>($"Tensor.{op}", Size, $"{call} of {Shapes.Format(shape)} (too many elements)", [op, Shapes.Format(shape), Shapes.Format(result), "more elements"], a =>
            {
                Tensor x = a.Leaf(shape);
                return () => apply(x);
            });
        }

        yield return Rejects<ArgumentException>("Tensor.Reshape", Size, "Reshape of [2, 3] into [65536, 65536]", ["Reshape", "[2, 3]", "[65536, 65536]", "cannot reshape"], a =>
        {
            Tensor x = a.Recorded(2, 3);
            return () => x.Reshape(65536, 65536);
        });
        yield return Rejects<ArgumentException>("Tensor.Reshape", Size, "Reshape of [2, 3] into [65536, 65536, -1]", ["Reshape", "[2, 3]", "[65536, 65536, -1]", "cannot reshape"], a =>
        {
            Tensor x = a.Recorded(2, 3);
            return () => x.Reshape(65536, 65536, -1);
        });
        yield return Rejects<ArgumentException>("Tensor.Reshape", Size, "Reshape of the empty [2147483647, 0] into [0, -1] (ambiguous, as in PyTorch)", ["Reshape", "[2147483647, 0]", "[0, -1]"], a =>
        {
            Tensor x = a.Leaf(int.MaxValue, 0);
            return () => x.Reshape(0, -1);
        });
        yield return Rejects<ArgumentException>("Tensor.TakeAlongLastAxis", ShapeMismatch, "TakeAlongLastAxis of [65536, 65536, 0] with no indices", ["TakeAlongLastAxis", "[65536, 65536, 0]", "0 indices", "more than 2147483591"], a =>
        {
            Tensor x = a.Leaf(65536, 65536, 0);
            return () => x.TakeAlongLastAxis([]);
        });
    }
}
