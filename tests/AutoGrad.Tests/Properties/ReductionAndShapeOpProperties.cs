using CsCheck;

namespace AutoGrad.Tests.Properties;

/// <summary>
/// Properties of the reductions, products, losses and shape ops on random shapes: gradients match float64 central
/// differences; empty tensors go forward and backward; ToDType's Jacobian is the identity.
/// </summary>
public sealed class ReductionAndShapeOpProperties
{
    private const int Cases = 200;
    private const int EmptyCases = 20;

    /// <summary>
    /// As in the gradient-check table. These ops are sums and products of at most 24 terms of magnitude ≤ 2 (and
    /// log-sum-exp for the cross-entropy): their third derivatives are small and the worst entry stays near 1e-9.
    /// </summary>
    private const double Tolerance = 1e-6;

    private static readonly Gen<int> Extent = Gen.Int[1, Generators.MaxExtent];
    private static readonly Gen<int> EmptyOrNot = Gen.Int[0, Generators.MaxExtent];

    private static readonly Dictionary<string, Gen<GradientCase>> GradientCases = new()
    {
        ["Sum()"] = Unary(Generators.Shape(), "Sum()", x => x.Sum()),
        ["Sum(axis, keepDims)"] = AlongAxis(Generators.Shape(1), (x, axis, keep) => x.Sum(axis, keep), "Sum"),
        ["Mean()"] = Unary(Generators.Shape(), "Mean()", x => x.Mean()),
        ["Mean(axis, keepDims)"] = AlongAxis(Generators.Shape(1), (x, axis, keep) => x.Mean(axis, keep), "Mean"),
        ["Max(axis, keepDims)"] = AlongAxis(Generators.Shape(1), (x, axis, keep) => x.Max(axis, keep), "Max"),
        ["Dot"] = from n in Gen.Int[1, 8] from pair in Generators.DistinctPair([n], [n]) select new GradientCase("Dot", v => v[0].Dot(v[1]), [pair.Left, pair.Right]),
        ["MatMul matrix·matrix"] = from m in Extent from k in Extent from n in Extent from c in Product("MatMul", [[m, k], [k, n]]) select c,
        ["MatMul matrix·vector"] = from m in Extent from k in Extent from c in Product("MatMul", [[m, k], [k]]) select c,
        ["MatMul vector·matrix"] = from k in Extent from n in Extent from c in Product("MatMul", [[k], [k, n]]) select c,
        ["MatMul vector·vector"] = from k in Extent from c in Product("MatMul", [[k], [k]]) select c,
        ["Transpose"] = Unary(Generators.Shape(2, 2), "Transpose()", x => x.Transpose()),
        ["Affine batch with bias"] = from n in Extent from i in Extent from o in Extent from c in Product("Affine(x1, x2)", [[n, i], [o, i], [o]]) select c,
        ["Affine batch without bias"] = from n in Extent from i in Extent from o in Extent from c in Product("Affine(x1)", [[n, i], [o, i]]) select c,
        ["Affine one sample with bias"] = from i in Extent from o in Extent from c in Product("Affine(x1, x2)", [[i], [o, i], [o]]) select c,
        ["Affine one sample without bias"] = from i in Extent from o in Extent from c in Product("Affine(x1)", [[i], [o, i]]) select c,
        ["Affine of an empty input axis (z = b)"] = from n in Extent from o in Extent from c in Product("Affine(x1, x2)", [[n, 0], [o, 0], [o]]) select c,
        ["Reshape"] =
            from shape in Generators.Shape()
            from target in ReshapeTarget(Shapes.ElementCount(shape))
            from x in Generators.Tensor(shape, Domain.Signed)
            select new GradientCase($"Reshape({string.Join(", ", target)})", v => v[0].Reshape(target), [x]),
        ["BroadcastTo"] =
            from target in Generators.Shape()
            from shape in Generators.BroadcastableTo(target)
            from x in Generators.Tensor(shape, Domain.Signed)
            select new GradientCase($"BroadcastTo{Shapes.Format(target)}", v => v[0].BroadcastTo(target), [x]),
        ["MseLoss"] =
            from shape in Generators.Shape()
            from pair in Generators.DistinctPair(shape, shape)
            select new GradientCase("MseLoss(x0, x1)", v => Tensor.MseLoss(v[0], v[1]), [pair.Left, pair.Right]),
        ["CrossEntropyLoss"] =
            from n in Extent
            from c in Gen.Int[1, 5]
            from targets in Gen.Int[0, c - 1].Array[n]
            from x in Generators.Tensor([n, c], Domain.Signed)
            select new GradientCase($"CrossEntropyLoss(x0, [{string.Join(", ", targets)}])", v => Tensor.CrossEntropyLoss(v[0], targets), [x]),
        ["TakeAlongLastAxis"] =
            from shape in Generators.Shape(1)
            from indices in Gen.Int[0, shape[^1] - 1].Array[Shapes.ElementCount(shape) / shape[^1]]
            from x in Generators.Tensor(shape, Domain.Signed)
            select new GradientCase($"TakeAlongLastAxis([{string.Join(", ", indices)}])", v => v[0].TakeAlongLastAxis(indices), [x]),
    };

    private static readonly Dictionary<string, Gen<EmptyCase>> EmptyCasesByOp = new()
    {
        ["Sum()"] = from shape in Generators.EmptyShape() select Empty("Sum()", v => v[0].Sum(), [], shape),
        ["Sum(axis, keepDims)"] = EmptyAlongAxis((x, axis, keep) => x.Sum(axis, keep), "Sum", emptyAxisAllowed: true),
        ["Mean()"] = from shape in Generators.EmptyShape() select Empty("Mean()", v => v[0].Mean(), [], shape),
        ["Mean(axis, keepDims)"] = EmptyAlongAxis((x, axis, keep) => x.Mean(axis, keep), "Mean", emptyAxisAllowed: true),
        ["Max(axis, keepDims) along a non-empty axis"] = EmptyAlongAxis((x, axis, keep) => x.Max(axis, keep), "Max", emptyAxisAllowed: false),
        ["MatMul"] =
            from a in Gen.Int[1, 2]
            from b in Gen.Int[1, 2]
            from m in EmptyOrNot
            from k in EmptyOrNot
            from n in EmptyOrNot
            let left = a == 2 ? new[] { m, k } : [k]
            let right = b == 2 ? new[] { k, n } : [k]
            where Shapes.ElementCount(left) == 0 || Shapes.ElementCount(right) == 0
            select Empty("MatMul", v => v[0].MatMul(v[1]), [.. left[..^1], .. right[1..]], left, right),
        ["Transpose"] = from shape in Generators.EmptyShape(2, 2) select Empty("Transpose()", v => v[0].Transpose(), [shape[1], shape[0]], shape),
        ["Affine"] =
            from single in Gen.Bool
            from bias in Gen.Bool
            from n in EmptyOrNot
            from i in EmptyOrNot
            from o in EmptyOrNot
            where (single ? 1 : n) * i * o == 0
            where !bias || (single ? 1 : n) * o == 0 // with an empty input axis but not an empty output, z = b: a gradient case above
            let x = single ? new[] { i } : [n, i]
            select bias
                ? Empty("Affine(x1, x2)", v => v[0].Affine(v[1], v[2]), single ? [o] : [n, o], x, [o, i], [o])
                : Empty("Affine(x1)", v => v[0].Affine(v[1]), single ? [o] : [n, o], x, [o, i]),
        ["Reshape"] =
            from shape in Generators.EmptyShape()
            from inferred in Gen.Bool
            select inferred
                ? Empty("Reshape(-1)", v => v[0].Reshape(-1), [0], shape)
                : Empty($"Reshape{Shapes.Format(shape.Reverse().ToArray())}", v => v[0].Reshape([.. shape.Reverse()]), [.. shape.Reverse()], shape),
        ["BroadcastTo"] =
            from target in Generators.EmptyShape()
            from shape in Generators.BroadcastableTo(target)
            select Empty($"BroadcastTo{Shapes.Format(target)}", v => v[0].BroadcastTo(target), target, shape),
        ["MseLoss"] = from shape in Generators.EmptyShape() select Empty("MseLoss(x0, x1)", v => Tensor.MseLoss(v[0], v[1]), [], shape, shape),
        ["CrossEntropyLoss"] = from c in Gen.Int[1, 5] select Empty("CrossEntropyLoss(x0, [])", v => Tensor.CrossEntropyLoss(v[0], []), [], [0, c]),
        ["TakeAlongLastAxis"] =
            from shape in Generators.EmptyShape(2)
            where Shapes.ElementCount(shape.AsSpan(0, shape.Length - 1)) == 0
            let last = Math.Max(shape[^1], 1)
            select Empty("TakeAlongLastAxis([])", v => v[0].TakeAlongLastAxis([]), shape[..^1], [.. shape[..^1], last]),
    };

    public static IEnumerable<string> GradientOps() => GradientCases.Keys;

    public static IEnumerable<string> EmptyOps() => EmptyCasesByOp.Keys;

    /// <summary>
    /// For each op, 200 random cases (shapes of rank 0..4 with extents 1..4, random axes and keepDims, random targets and
    /// indices, all four rank combinations of MatMul, Affine with and without bias, on a batch and on one sample): every
    /// Jacobian entry matches float64 central differences within <see cref="Tolerance"/>.
    /// </summary>
    [TestCaseSource(nameof(GradientOps))]
    public void Gradient_matches_central_differences(string op)
        => Property.Check($"{op} gradient", GradientCases[op], Checks.Gradient, Cases, Tolerance);

    /// <summary>
    /// For each op, 20 random cases with an axis of length 0 somewhere (an empty batch, an empty inner dimension of a
    /// product, an empty axis summed over; MatMul's include Dot of two empty vectors): forward and backward run, the output
    /// has the expected shape, and every input's gradient has the input's shape and is 0 (the sum over an empty axis is 0,
    /// as in PyTorch).
    /// </summary>
    [TestCaseSource(nameof(EmptyOps))]
    public void Empty_tensors_go_forward_and_backward(string op)
        => Property.Check($"{op} on empty tensors", EmptyCasesByOp[op], Checks.EmptyGradients, EmptyCases, 0);

    /// <summary>
    /// The maximum over an axis of length 0 is undefined: Max throws ArgumentException naming the axis, as PyTorch's
    /// <c>max(dim)</c> raises for a reduction dimension of size 0; 20 random empty shapes.
    /// </summary>
    [Test]
    public void Max_over_an_empty_axis_throws()
    {
        Gen<(int[] Shape, int Axis)> cases =
            from shape in Generators.EmptyShape()
            from axis in Gen.Int[0, shape.Length - 1]
            where shape[axis] == 0
            select (shape, axis);

        Property.Check(
            "Max over an empty axis",
            cases,
            c =>
            {
                Tensor x = Tensor.Zeros(c.Shape, DType.Float64).RequireGrad();
                try
                {
                    x.Max(c.Axis);
                    return Outcome.Fail("no exception");
                }
                catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
                {
                    return e.Message.Contains("empty", StringComparison.Ordinal) ? Outcome.Pass : Outcome.Fail($"message: {e.Message}");
                }
            },
            EmptyCases,
            0);
    }

    /// <summary>
    /// ToDType's Jacobian is the identity: for 200 random shapes (rank 0..4, empty ones included) and random output
    /// gradients, float64 → float32 passes dy back exactly (every float32 is a float64), float32 → float64 passes back dy
    /// rounded to float32, and converting to the tensor's own type returns the tensor itself. Tolerance: exact.
    /// </summary>
    [Test]
    public void ToDType_passes_the_gradient_back_converted()
    {
        Gen<(TensorData X, TensorData Dy)> cases =
            from shape in Gen.Frequency((4, Generators.Shape()), (1, Generators.EmptyShape()))
            from x in Generators.Tensor(shape, Domain.Signed)
            from dy in Generators.Tensor(shape, Domain.Signed)
            select (x, dy);

        Property.Check(
            "ToDType identity Jacobian",
            cases,
            c =>
            {
                Tensor x64 = c.X.ToTensor().RequireGrad();
                x64.ToDType(DType.Float32).Backward(c.Dy.ToTensor(DType.Float32));
                double[] expected64 = [.. c.Dy.Values.Select(v => (double)(float)v)];

                Tensor x32 = c.X.ToTensor(DType.Float32).RequireGrad();
                x32.ToDType(DType.Float64).Backward(c.Dy.ToTensor());
                float[] expected32 = [.. c.Dy.Values.Select(v => (float)v)];

                bool same = ReferenceEquals(x64.ToDType(DType.Float64), x64) && ReferenceEquals(x32.ToDType(DType.Float32), x32);
                return x64.Grad!.ToArray<double>().SequenceEqual(expected64) && x32.Grad!.ToArray<float>().SequenceEqual(expected32) && same
                    ? Outcome.Pass
                    : Outcome.Fail($"gradients {x64.Grad} and {x32.Grad}, or ToDType of the own type was not the tensor itself");
            },
            Cases,
            0);
    }

    private static Gen<GradientCase> Unary(Gen<int[]> shapes, string expression, Func<Tensor, Tensor> op)
        => from shape in shapes
           from x in Generators.Tensor(shape, Domain.Signed)
           select new GradientCase(expression, v => op(v[0]), [x]);

    private static Gen<GradientCase> AlongAxis(Gen<int[]> shapes, Func<Tensor, int, bool, Tensor> op, string name)
        => from shape in shapes
           from axis in Gen.Int[-shape.Length, shape.Length - 1]
           from keep in Gen.Bool
           from x in Generators.Tensor(shape, Domain.Signed)
           select new GradientCase($"{name}(axis: {axis}, keepDims: {keep})", v => op(v[0], axis, keep), [x]);

    /// <summary>MatMul or Affine (by <paramref name="expression"/>) of random inputs of the given shapes.</summary>
    private static Gen<GradientCase> Product(string expression, int[][] shapes)
        => Gen.Select(Generators.Tensor(shapes[0], Domain.Signed), Generators.Tensor(shapes[1], Domain.Signed), Generators.Tensor(shapes[^1], Domain.Signed))
            .Select(t => new GradientCase(
                expression,
                expression switch
                {
                    "MatMul" => v => v[0].MatMul(v[1]),
                    "Affine(x1)" => v => v[0].Affine(v[1]),
                    _ => v => v[0].Affine(v[1], v[2]),
                },
                shapes.Length == 2 ? [t.Item1, t.Item2] : [t.Item1, t.Item2, t.Item3]));

    private static Gen<int[]> ReshapeTarget(int count)
    {
        int[] factors = PrimeFactors(count);
        return from rank in Gen.Int[count == 1 ? 0 : 1, 4]
               from slots in Gen.Int[0, Math.Max(rank - 1, 0)].Array[factors.Length]
               from inferred in Gen.Int[-1, rank - 1]
               select Target(rank, factors, slots, inferred);

        static int[] Target(int rank, int[] factors, int[] slots, int inferred)
        {
            int[] target = Enumerable.Repeat(1, rank).ToArray();
            for (int i = 0; i < factors.Length; i++)
            {
                target[slots[i]] *= factors[i];
            }

            if (inferred >= 0)
            {
                target[inferred] = -1;
            }

            return target;
        }
    }

    private static int[] PrimeFactors(int n)
    {
        var factors = new List<int>();
        for (int p = 2; n > 1; p++)
        {
            while (n % p == 0)
            {
                factors.Add(p);
                n /= p;
            }
        }

        return [.. factors];
    }

    private static Gen<EmptyCase> EmptyAlongAxis(Func<Tensor, int, bool, Tensor> op, string name, bool emptyAxisAllowed)
        => from shape in Generators.EmptyShape()
           from axis in Gen.Int[-shape.Length, shape.Length - 1]
           where emptyAxisAllowed || shape[axis < 0 ? axis + shape.Length : axis] > 0
           from keep in Gen.Bool
           let resolved = axis < 0 ? axis + shape.Length : axis
           let output = keep ? shape.Select((e, i) => i == resolved ? 1 : e).ToArray() : [.. shape[..resolved], .. shape[(resolved + 1)..]]
           select Empty($"{name}(axis: {axis}, keepDims: {keep})", v => op(v[0], axis, keep), output, shape);

    private static EmptyCase Empty(string expression, Func<Tensor[], Tensor> function, int[] output, params int[][] inputs)
        => new(expression, function, [.. inputs.Select(shape => new TensorData(shape, new double[Shapes.ElementCount(shape)]))], output);
}
