using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Ops;

/// <summary>Forward values of every op against scalar references written here with System.Math.</summary>
public sealed class ForwardTests
{
    private static readonly (string Name, Func<Tensor, Tensor> Op, Func<double, double> Reference)[] UnaryOps =
    [
        ("Negate", x => x.Negate(), x => -x),
        ("Exp", x => x.Exp(), Math.Exp),
        ("Log", x => x.Log(), Math.Log),
        ("Sqrt", x => x.Sqrt(), Math.Sqrt),
        ("Abs", x => x.Abs(), Math.Abs),
        ("Tanh", x => x.Tanh(), Math.Tanh),
        ("Sin", x => x.Sin(), Math.Sin),
        ("Cos", x => x.Cos(), Math.Cos),
        ("Sigmoid", x => x.Sigmoid(), x => 1 / (1 + Math.Exp(-x))),
        ("Relu", x => x.Relu(), x => Math.Max(0, x)),
        ("LeakyRelu(0.2)", x => x.LeakyRelu(0.2), x => x > 0 ? x : 0.2 * x),
        ("Pow(3)", x => x.Pow(3), x => Math.Pow(x, 3)),
    ];

    private static readonly (string Name, Func<Tensor, Tensor, Tensor> Op, Func<double, double, double> Reference)[] BinaryOps =
    [
        ("Add", (a, b) => a + b, (a, b) => a + b),
        ("Subtract", (a, b) => a - b, (a, b) => a - b),
        ("Multiply", (a, b) => a * b, (a, b) => a * b),
        ("Divide", (a, b) => a / b, (a, b) => a / b),
        ("Maximum", (a, b) => a.Maximum(b), Math.Max),
        ("Minimum", (a, b) => a.Minimum(b), Math.Min),
        ("Pow", (a, b) => a.Abs().Pow(b), (a, b) => Math.Pow(Math.Abs(a), b)),
    ];

    private static readonly (int[] Left, int[] Right, int[] Result)[] BroadcastShapes =
    [
        ([3, 4], [3, 4], [3, 4]),
        ([3, 1], [1, 4], [3, 4]),
        ([2, 3, 4], [4], [2, 3, 4]),
        ([4], [2, 3, 4], [2, 3, 4]),
        ([], [3], [3]),
        ([2, 1, 4], [3, 1], [2, 3, 4]),
        ([0, 3], [3], [0, 3]),
    ];

    public static IEnumerable<TestCaseData> Unary()
        => from op in UnaryOps
           from dtype in new[] { DType.Float32, DType.Float64 }
           select new TestCaseData(op.Op, op.Reference, dtype).SetName($"{op.Name} matches System.Math in {dtype.Name()}");

    public static IEnumerable<TestCaseData> Binary()
        => from op in BinaryOps
           from shapes in BroadcastShapes
           select new TestCaseData(op.Op, op.Reference, shapes.Left, shapes.Right, shapes.Result)
               .SetName($"{op.Name} of {Shapes.Format(shapes.Left)} and {Shapes.Format(shapes.Right)} broadcasts to {Shapes.Format(shapes.Result)}");

    [TestCaseSource(nameof(Unary))]
    public void Unary_op(Func<Tensor, Tensor> op, Func<double, double> reference, DType dtype)
    {
        Tensor x = TestTensors.Positive([5, 7], seed: 5).ToDType(dtype);
        Tensor signed = x - 1.25;

        foreach (Tensor input in new[] { x, signed })
        {
            double[] values = input.ToDType(DType.Float64).ToArray<double>();
            double tolerance = dtype == DType.Float32 ? 1e-6 : 1e-14;
            double[] expected = [.. values.Select(reference)];
            double[] actual = op(input).ToDType(DType.Float64).ToArray<double>();
            for (int i = 0; i < expected.Length; i++)
            {
                string where = $"element {i}, input {values[i]}";
                if (double.IsNaN(expected[i]))
                {
                    Assert.That(actual[i], Is.NaN, where);
                }
                else
                {
                    Assert.That(actual[i], Is.EqualTo(expected[i]).Within(tolerance * Math.Max(1, Math.Abs(expected[i]))), where);
                }
            }
        }
    }

    [TestCaseSource(nameof(Binary))]
    public void Binary_op(Func<Tensor, Tensor, Tensor> op, Func<double, double, double> reference, int[] left, int[] right, int[] result)
    {
        Tensor a = TestTensors.AwayFromZero(left, seed: 21);
        Tensor b = TestTensors.AwayFromZero(right, seed: 22);

        Tensor z = op(a, b);

        Assert.That(z.Shape.ToArray(), Is.EqualTo(result));
        var expected = new double[z.ElementCount];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = reference(a.ToArray<double>()[SourceIndex(i, result, left)], b.ToArray<double>()[SourceIndex(i, result, right)]);
        }

        TestTensors.AssertClose(z, expected, 1e-14);
    }

    [Test]
    public void Sums_and_means_over_all_elements_and_each_axis()
    {
        Tensor x = Tensor.Arange(0, 24, dtype: DType.Float64).Reshape(2, 3, 4);

        Assert.That(x.Sum().Item(), Is.EqualTo(276));
        Assert.That(x.Mean().Item(), Is.EqualTo(11.5));
        TestTensors.AssertClose(x.Sum(0), [12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34], 0);
        TestTensors.AssertClose(x.Sum(1), [12, 15, 18, 21, 48, 51, 54, 57], 0);
        TestTensors.AssertClose(x.Sum(-1), [6, 22, 38, 54, 70, 86], 0);
        TestTensors.AssertClose(x.Mean(2), [1.5, 5.5, 9.5, 13.5, 17.5, 21.5], 0);
        Assert.That(x.Sum(1, keepDims: true).Shape.ToArray(), Is.EqualTo(new[] { 2, 1, 4 }));
        Assert.That(x.Sum(1).Shape.ToArray(), Is.EqualTo(new[] { 2, 4 }));
        Assert.That(x.Sum().Rank, Is.Zero);
    }

    [Test]
    public void Max_along_an_axis_takes_the_largest_and_propagates_NaN()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 5.0, 3.0, 7.0, -2.0, double.NaN }, [2, 3]);

        Assert.That(x.Max(1, keepDims: true)[0, 0], Is.EqualTo(5));
        Assert.That(x.Max(1)[1], Is.NaN);
        TestTensors.AssertClose(Tensor.Create(new[] { 1.0, 5.0, 3.0, 7.0, -2.0, 0.0 }, [2, 3]).Max(0), [7, 5, 3], 0);
    }

    [Test]
    public void Max_sends_the_whole_gradient_to_the_first_maximum_on_ties()
    {
        Tensor x = Tensor.Create(new[] { 2.0, 7.0, 7.0, 1.0 }).RequireGrad();

        x.Max(0).Backward();

        TestTensors.AssertClose(x.Grad!, [0, 1, 0, 0], 0);
    }

    [Test]
    public void Maximum_and_Minimum_split_the_gradient_evenly_on_ties()
    {
        Tensor a = Tensor.Create(new[] { 1.0, 3.0, 2.0 }).RequireGrad();
        Tensor b = Tensor.Create(new[] { 1.0, 2.0, 5.0 }).RequireGrad();

        a.Maximum(b).Sum().Backward();
        TestTensors.AssertClose(a.Grad!, [0.5, 1, 0], 0);
        TestTensors.AssertClose(b.Grad!, [0.5, 0, 1], 0);

        a.ZeroGrad();
        b.ZeroGrad();
        a.Minimum(b).Sum().Backward();
        TestTensors.AssertClose(a.Grad!, [0.5, 0, 1], 0);
        TestTensors.AssertClose(b.Grad!, [0.5, 1, 0], 0);
    }

    [Test]
    public void Maximum_propagates_NaN_from_either_side()
    {
        Tensor a = Tensor.Create(new[] { double.NaN, 1.0 });
        Tensor b = Tensor.Create(new[] { 0.0, double.NaN });

        Assert.That(a.Maximum(b).ToArray<double>(), Is.All.NaN);
        Assert.That(a.Minimum(b).ToArray<double>(), Is.All.NaN);
    }

    [Test]
    public void Maximum_and_Minimum_pass_the_whole_gradient_to_both_operands_where_one_is_NaN()
    {
        Tensor a = Tensor.Create(new[] { double.NaN, 1.0 }).RequireGrad();
        Tensor b = Tensor.Create(new[] { 0.0, 2.0 }).RequireGrad();

        a.Maximum(b).Sum().Backward();
        TestTensors.AssertClose(a.Grad!, [1, 0], 0);
        TestTensors.AssertClose(b.Grad!, [1, 1], 0);

        a.ZeroGrad();
        b.ZeroGrad();
        a.Minimum(b).Sum().Backward();
        TestTensors.AssertClose(a.Grad!, [1, 1], 0);
        TestTensors.AssertClose(b.Grad!, [1, 0], 0);
    }

    [TestCase(new[] { 2, 3 }, new[] { 0, 3 }, TestName = "Affine with no outputs differentiates to zero gradients")]
    [TestCase(new[] { 2, 0 }, new[] { 3, 0 }, TestName = "Affine with no inputs differentiates to zero gradients")]
    [TestCase(new[] { 0, 3 }, new[] { 2, 3 }, TestName = "Affine of an empty batch differentiates to zero gradients")]
    [TestCase(new[] { 3 }, new[] { 0, 3 }, TestName = "Affine of one sample with no outputs differentiates to zero gradients")]
    public void Affine_with_empty_axes(int[] inputShape, int[] weightShape)
    {
        Tensor x = Tensor.Ones(inputShape).RequireGrad();
        Tensor w = Tensor.Ones(weightShape).RequireGrad();
        Tensor b = Tensor.Ones([weightShape[0]]).RequireGrad();

        x.Affine(w, b).Sum().Backward();

        Assert.That(x.Grad!.ToArray<float>(), Is.All.Zero);
        Assert.That(w.Grad!.Shape.ToArray(), Is.EqualTo(weightShape));
        Assert.That(w.Grad!.ToArray<float>(), Is.All.Zero);
        Assert.That(b.Grad!.ToArray<float>(), Is.All.EqualTo(inputShape[0] == 0 ? 0f : (float)(inputShape.Length == 1 ? 1 : inputShape[0])));
    }

    [Test]
    public void Gradients_at_the_kinks_follow_PyTorch()
    {
        Tensor x = Tensor.Create(new[] { 0.0, -1.0, 2.0 }).RequireGrad();

        x.Relu().Sum().Backward();
        TestTensors.AssertClose(x.Grad!, [0, 0, 1], 0);

        x.ZeroGrad();
        x.Abs().Sum().Backward();
        TestTensors.AssertClose(x.Grad!, [0, -1, 1], 0);

        x.ZeroGrad();
        x.LeakyRelu(0.1).Sum().Backward();
        TestTensors.AssertClose(x.Grad!, [0.1, 0.1, 1], 1e-17);
    }

    [Test]
    public void Pow_gradients_are_zero_instead_of_NaN_at_zero_base_and_zero_exponent()
    {
        Tensor x = Tensor.Create(new[] { 0.0, 0.0, 2.0 }).RequireGrad();
        Tensor p = Tensor.Create(new[] { 0.0, 2.0, 0.0 }).RequireGrad();

        x.Pow(p).Sum().Backward();

        // d(x^p)/dx = p·x^(p−1): 0 where p = 0, 2·0 = 0 at x = 0; d(x^p)/dp = x^p·ln x: 0 where x = 0, p ≥ 0.
        TestTensors.AssertClose(x.Grad!, [0, 0, 0], 0);
        TestTensors.AssertClose(p.Grad!, [0, 0, Math.Log(2)], 1e-15);
    }

    [Test]
    public void Dot_MatMul_Transpose_and_Affine_match_explicit_sums()
    {
        Tensor a = Tensor.Arange(0, 6, dtype: DType.Float64).Reshape(2, 3);           // [[0 1 2] [3 4 5]]
        Tensor b = Tensor.Arange(1, 7, 1, DType.Float64).Reshape(3, 2);    // [[1 2] [3 4] [5 6]]
        Tensor v = Tensor.Create(new[] { 1.0, -1.0, 2.0 });
        Tensor bias = Tensor.Create(new[] { 10.0, 20.0 });

        Assert.That(v.Dot(v).Item(), Is.EqualTo(6));
        TestTensors.AssertClose(a.MatMul(b), [13, 16, 40, 52], 0);
        TestTensors.AssertClose(a.MatMul(v), [3, 9], 0);
        TestTensors.AssertClose(Tensor.Create(new[] { 1.0, 2.0 }).MatMul(a), [6, 9, 12], 0);
        TestTensors.AssertClose(a.Transpose(), [0, 3, 1, 4, 2, 5], 0);
        Assert.That(a.Transpose().Shape.ToArray(), Is.EqualTo(new[] { 3, 2 }));

        // x·Wᵀ + b with x = bᵀ rows [1 3 5], [2 4 6] and W = a: [[0+3+10, 3+12+25] ...] + bias
        Tensor z = b.Transpose().Affine(a, bias);
        TestTensors.AssertClose(z, [13 + 10, 40 + 20, 16 + 10, 52 + 20], 0);
        TestTensors.AssertClose(v.Affine(a, bias), [3 + 10, 9 + 20], 0);
        TestTensors.AssertClose(v.Affine(a), [3, 9], 0);
    }

    [Test]
    public void MseLoss_is_the_mean_of_squared_differences()
    {
        Tensor p = Tensor.Create(new[] { 1.0, 2.0, 4.0 });
        Tensor t = Tensor.Create(new[] { 0.0, 2.0, 1.0 });

        Assert.That(Tensor.MseLoss(p, t).Item(), Is.EqualTo((1 + 0 + 9) / 3.0).Within(1e-15));
    }

    [Test]
    public void TakeAlongLastAxis_picks_one_element_per_row_and_sends_the_gradient_back_there()
    {
        Tensor x = Tensor.Create(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } }).RequireGrad();

        Tensor y = x.TakeAlongLastAxis([2, 0]);
        y.Backward(Tensor.Create(new[] { 10.0, 20.0 }));

        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { 2 }));
        TestTensors.AssertClose(y, [3, 4], 0);
        TestTensors.AssertClose(x.Grad!, [0, 0, 10, 20, 0, 0], 0);
    }

    [Test]
    public void TakeAlongLastAxis_rejects_a_wrong_count_or_an_index_out_of_range()
    {
        Tensor x = Tensor.Ones([2, 3]);

        Assert.That(() => x.TakeAlongLastAxis([0]), Throws.ArgumentException.With.Message.Contains("[2, 3]"));
        Assert.That(() => x.TakeAlongLastAxis([0, 3]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 3)"));
        Assert.That(() => x.TakeAlongLastAxis([-1, 0]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Tensor.Scalar(1).TakeAlongLastAxis([]), Throws.ArgumentException);
    }

    [Test]
    public void Float32_results_stay_float32_with_double_constants()
    {
        Tensor x = Tensor.Ones([2]);

        Assert.That((2 * x).DType, Is.EqualTo(DType.Float32));
        Assert.That((x / 3.0).DType, Is.EqualTo(DType.Float32));
        Assert.That(x.Pow(2).DType, Is.EqualTo(DType.Float32));
    }

    /// <summary>The row-major index in an operand of shape <paramref name="shape"/> that output element <paramref name="flat"/> reads.</summary>
    private static int SourceIndex(int flat, int[] result, int[] shape)
    {
        int index = 0, stride = 1;
        for (int axis = 1; axis <= result.Length; axis++)
        {
            int coordinate = flat % result[^axis];
            flat /= result[^axis];
            if (axis <= shape.Length)
            {
                if (shape[^axis] != 1)
                {
                    index += coordinate * stride;
                }

                stride *= shape[^axis];
            }
        }

        return index;
    }
}
