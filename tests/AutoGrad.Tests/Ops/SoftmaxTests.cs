using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Softmax and LogSoftmax along every kind of axis, forward and backward, in float32 and float64, against references
/// written here as naive loops with <see cref="Math.Exp(double)"/> and <see cref="Math.Log(double)"/> (no maximum
/// subtracted: the logits here are small enough for that), and against the closed-form Jacobians.
/// </summary>
public sealed class SoftmaxTests
{
    /// <summary>Shapes and axes: the last axis (contiguous rows), first and middle axes (strided), length-1 axes and vectors long enough for every vector width and tail.</summary>
    private static readonly (int[] Shape, int Axis)[] ShapesAndAxes =
    [
        ([5], 0), ([1], 0), ([3, 4], 0), ([3, 4], 1), ([3, 4], -1), ([3, 4], -2),
        ([2, 3, 4], 0), ([2, 3, 4], 1), ([2, 3, 4], 2), ([2, 3, 4], -2),
        ([3, 1], 1), ([1, 3], 0), ([2, 1, 3], 1), ([2, 3, 4, 5], 2),
        ([4, 33], 1), ([33, 3], 0), ([2, 17, 9], 1), ([3, 100], -1), ([2, 100, 3], 1), ([1, 1000], 1),
    ];

    private static readonly DType[] DTypes = [DType.Float32, DType.Float64];

    public static IEnumerable<TestCaseData> Cases()
        => from c in ShapesAndAxes
           from dtype in DTypes
           from log in new[] { false, true }
           select new TestCaseData(c.Shape, c.Axis, dtype, log)
               .SetArgDisplayNames($"{(log ? "LogSoftmax" : "Softmax")}({c.Axis}) of {Shapes.Format(c.Shape)} in {dtype.Name()}");

    [TestCaseSource(nameof(Cases))]
    public void Forward_matches_a_naive_double_loop(int[] shape, int axis, DType dtype, bool log)
    {
        Tensor x = Logits(shape, seed: shape.Sum() + axis, scale: 4).ToDType(dtype);
        double[] input = Doubles(x);

        double[] actual = Doubles(log ? x.LogSoftmax(axis) : x.Softmax(axis));

        double[] expected = Reference(input, shape, axis, log);
        // Softmax: relative, a few ulp per term of the sum; log-softmax: absolute near 0, relative beyond 1.
        double tolerance = dtype == DType.Float32 ? (log ? 1e-6 : 1e-5) : (log ? 1e-14 : 1e-13);
        AssertRelativelyClose(actual, expected, tolerance, log);
    }

    [TestCaseSource(nameof(Cases))]
    public void Backward_matches_the_closed_form_gradient(int[] shape, int axis, DType dtype, bool log)
    {
        Tensor x = Logits(shape, seed: shape.Sum() + (3 * axis), scale: 3).ToDType(dtype).RequireGrad();
        Tensor w = Logits(shape, seed: 77, scale: 1).ToDType(dtype);
        double[] input = Doubles(x);
        double[] weights = Doubles(w);

        ((log ? x.LogSoftmax(axis) : x.Softmax(axis)) * w).Sum().Backward();

        // L = Σ w ⊙ f(x); with s = softmax along the axis:
        // softmax: ∂L/∂xᵢ = sᵢ (wᵢ − Σⱼ wⱼ sⱼ); log-softmax: ∂L/∂xᵢ = wᵢ − sᵢ Σⱼ wⱼ.
        double[] s = Reference(input, shape, axis, log: false);
        // Each entry is within a few unit roundoffs per summed term of the slice's Σ|w| (the sums round), plus |w|.
        double unit = Math.ScaleB(1, dtype == DType.Float32 ? -24 : -53);
        double[] expected = new double[input.Length];
        double[] tolerance = new double[input.Length];
        (int outer, int length, int inner) = Split(shape, axis);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double dot = 0, sum = 0, magnitude = 0;
                for (int a = 0; a < length; a++)
                {
                    int k = (((o * length) + a) * inner) + i;
                    dot += weights[k] * s[k];
                    sum += weights[k];
                    magnitude += Math.Abs(weights[k]);
                }

                for (int a = 0; a < length; a++)
                {
                    int k = (((o * length) + a) * inner) + i;
                    expected[k] = log ? weights[k] - (s[k] * sum) : s[k] * (weights[k] - dot);
                    tolerance[k] = 8 * unit * ((length * magnitude) + Math.Abs(weights[k]));
                }
            }
        }

        double[] actual = Doubles(x.Grad!);
        Assert.That(
            Enumerable.Range(0, actual.Length).Where(k => !(Math.Abs(actual[k] - expected[k]) <= tolerance[k])).Take(8).Select(k => $"[{k}] expected {expected[k]:R}, got {actual[k]:R}"),
            Is.Empty);
    }

    [TestCaseSource(nameof(Cases))]
    public void Each_slice_along_the_axis_sums_to_1(int[] shape, int axis, DType dtype, bool log)
    {
        Tensor x = Logits(shape, seed: 5 + shape.Length, scale: 10).ToDType(dtype);

        // log-softmax: Σ exp(y) = 1 too.
        Tensor probabilities = log ? x.LogSoftmax(axis).Exp() : x.Softmax(axis);
        double[] sums = Doubles(probabilities.Sum(axis));

        int length = shape[axis < 0 ? axis + shape.Length : axis];
        double tolerance = length * (dtype == DType.Float32 ? 4e-7 : 4e-16);
        Assert.That(sums, Is.All.EqualTo(1).Within(tolerance));
        Assert.That(Doubles(probabilities), Is.All.InRange(0.0, 1.0));
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Default_axis_is_the_last(DType dtype)
    {
        Tensor x = Logits([2, 3, 4], seed: 8, scale: 2).ToDType(dtype);

        Assert.Multiple(() =>
        {
            Assert.That(Doubles(x.Softmax()), Is.EqualTo(Doubles(x.Softmax(2))));
            Assert.That(Doubles(x.LogSoftmax()), Is.EqualTo(Doubles(x.LogSoftmax(2))));
            Assert.That(Doubles(x.Softmax()), Is.EqualTo(Reference(Doubles(x), [2, 3, 4], 2, log: false)).Within(1e-5));
        });
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Logits_of_plus_and_minus_1000_give_exact_finite_results(DType dtype)
    {
        Tensor x = Tensor.Create(new[] { 1000.0, -1000.0 }).ToDType(dtype);

        Assert.Multiple(() =>
        {
            Assert.That(Doubles(x.LogSoftmax()), Is.EqualTo(new[] { 0.0, -2000.0 }));
            Assert.That(Doubles(x.Softmax()), Is.EqualTo(new[] { 1.0, 0.0 }));
        });
    }

    [TestCase(DType.Float32, 1e30)]
    [TestCase(DType.Float64, 1e30)]
    [TestCase(DType.Float64, 1e300)]
    public void Logits_of_huge_magnitude_give_finite_results_along_rows_and_strided_axes(DType dtype, double huge)
    {
        double h = dtype == DType.Float32 ? (float)huge : huge;
        // [2,3] with the huge logits along axis 1 (rows) and, transposed, along axis 0 (strided slices).
        double[] rows = [h, -h, 0, -h, 0, h];
        double[] expectedLog = [0, -2 * h, -h, -2 * h, -h, 0];
        if (dtype == DType.Float32)
        {
            expectedLog = [.. expectedLog.Select(v => (double)(float)v)];
        }

        double[] expectedSoftmax = [1, 0, 0, 0, 0, 1];
        Tensor byRows = Tensor.Create(rows, [2, 3]).ToDType(dtype);
        Tensor byColumns = byRows.Transpose();

        Assert.Multiple(() =>
        {
            Assert.That(Doubles(byRows.LogSoftmax(1)), Is.EqualTo(expectedLog), "log-softmax along rows");
            Assert.That(Doubles(byRows.Softmax(1)), Is.EqualTo(expectedSoftmax), "softmax along rows");
            Assert.That(Doubles(byColumns.LogSoftmax(0).Transpose()), Is.EqualTo(expectedLog), "log-softmax along columns");
            Assert.That(Doubles(byColumns.Softmax(0).Transpose()), Is.EqualTo(expectedSoftmax), "softmax along columns");
        });
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Large_logits_that_are_close_give_the_softmax_of_their_differences(DType dtype)
    {
        // e^1000 overflows both types: only a shift by the maximum gets this right.
        double[] near = [1000, 1001, 1002, 999.5];
        double[] small = [0, 1, 2, -0.5];
        Tensor x = Tensor.Create(near, [1, 4]).ToDType(dtype);
        Tensor strided = Tensor.Create(near, [4, 1]).ToDType(dtype);

        double tolerance = dtype == DType.Float32 ? 1e-6 : 1e-15;
        Assert.Multiple(() =>
        {
            Assert.That(Doubles(x.Softmax()), Is.EqualTo(Reference(small, [1, 4], 1, log: false)).Within(tolerance));
            Assert.That(Doubles(x.LogSoftmax()), Is.EqualTo(Reference(small, [1, 4], 1, log: true)).Within(tolerance));
            Assert.That(Doubles(strided.Softmax(0)), Is.EqualTo(Reference(small, [4, 1], 0, log: false)).Within(tolerance));
            Assert.That(Doubles(strided.LogSoftmax(0)), Is.EqualTo(Reference(small, [4, 1], 0, log: true)).Within(tolerance));
        });
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Gradients_are_finite_and_exact_at_logits_of_plus_and_minus_1000(DType dtype)
    {
        Tensor x = Tensor.Create(new[] { 1000.0, -1000.0, -1000.0, 1000.0 }, [2, 2]).ToDType(dtype).RequireGrad();
        Tensor w = Tensor.Create(new[] { 2.0, 5.0, 3.0, 7.0 }, [2, 2]).ToDType(dtype);

        (x.LogSoftmax(1) * w).Sum().Backward();
        // s = [[1, 0], [0, 1]]: ∂/∂x = w − s Σw.
        TestTensors.AssertClose(x.Grad!, [2 - 7, 5, 3, 7 - 10], 0, "log-softmax");

        x.ZeroGrad();
        (x.Softmax(0) * w).Sum().Backward();
        // Along axis 0 s = [[1, 0], [0, 1]] again, and sᵢ(wᵢ − Σ w s) vanishes everywhere.
        TestTensors.AssertClose(x.Grad!, [0, 0, 0, 0], 0, "softmax");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Minus_infinity_logits_get_probability_0_and_log_probability_minus_infinity(DType dtype)
    {
        Tensor x = Tensor.Create(new[] { 0.0, double.NegativeInfinity, Math.Log(3) }, [1, 3]).ToDType(dtype).RequireGrad();

        double[] y = Doubles(x.Softmax());
        double[] logY = Doubles(x.LogSoftmax());
        (x.Softmax() * Tensor.Create(new[] { 1.0, 2.0, 3.0 }, [1, 3]).ToDType(dtype)).Sum().Backward();

        double tolerance = dtype == DType.Float32 ? 1e-6 : 1e-15;
        Assert.Multiple(() =>
        {
            Assert.That(y, Is.EqualTo(new[] { 0.25, 0, 0.75 }).Within(tolerance));
            Assert.That(logY[1], Is.EqualTo(double.NegativeInfinity));
            Assert.That(logY[0], Is.EqualTo(-Math.Log(4)).Within(tolerance));
            // s = [1/4, 0, 3/4], Σ w s = 1/4 + 9/4 = 5/2: s (w − 5/2) = [−3/8, 0, 3/8].
            Assert.That(Doubles(x.Grad!), Is.EqualTo(new[] { -0.375, 0, 0.375 }).Within(tolerance));
        });
    }

    [TestCase(DType.Float32, false)]
    [TestCase(DType.Float64, false)]
    [TestCase(DType.Float32, true)]
    [TestCase(DType.Float64, true)]
    public void NaN_spreads_to_its_own_slice_and_no_other(DType dtype, bool log)
    {
        // [2,3,4] along the middle axis (strided) and along the last axis (rows): NaN at [1, 2, 3].
        Tensor x = Logits([2, 3, 4], seed: 3, scale: 1).ToDType(dtype);
        double[] values = Doubles(x);
        values[(((1 * 3) + 2) * 4) + 3] = double.NaN;
        x = Tensor.Create(values, [2, 3, 4]).ToDType(dtype);

        double[] middle = Doubles(log ? x.LogSoftmax(1) : x.Softmax(1));
        double[] last = Doubles(log ? x.LogSoftmax(2) : x.Softmax(2));

        Assert.Multiple(() =>
        {
            for (int b = 0; b < 2; b++)
            {
                for (int r = 0; r < 3; r++)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        int k = (((b * 3) + r) * 4) + c;
                        Assert.That(double.IsNaN(middle[k]), Is.EqualTo(b == 1 && c == 3), $"axis 1 at [{b}, {r}, {c}]");
                        Assert.That(double.IsNaN(last[k]), Is.EqualTo(b == 1 && r == 2), $"axis 2 at [{b}, {r}, {c}]");
                    }
                }
            }
        });
    }

    /// <summary>∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ) for softmax, δᵢⱼ − yⱼ for log-softmax (with y the softmax), within one slice; 0 across slices.</summary>
    [TestCase(new[] { 5 }, 0, false)]
    [TestCase(new[] { 5 }, 0, true)]
    [TestCase(new[] { 2, 3 }, 1, false)]
    [TestCase(new[] { 2, 3 }, 1, true)]
    [TestCase(new[] { 3, 2 }, 0, false)]
    [TestCase(new[] { 3, 2 }, 0, true)]
    [TestCase(new[] { 2, 3, 2 }, 1, false)]
    [TestCase(new[] { 2, 3, 2 }, 1, true)]
    public void Jacobian_is_the_closed_form(int[] shape, int axis, bool log)
    {
        Tensor x = Logits(shape, seed: 21, scale: 2);
        double[] s = Reference(Doubles(x), shape, axis, log: false);

        Tensor jacobian = Tensor.Jacobian(v => log ? v.LogSoftmax(axis) : v.Softmax(axis), x);

        int n = s.Length;
        (int outer, int length, int inner) = Split(shape, axis);
        var expected = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Same slice: the same outer index and the same inner index.
                bool sameSlice = i / (length * inner) == j / (length * inner) && i % inner == j % inner;
                double delta = i == j ? 1 : 0;
                expected[(i * n) + j] = !sameSlice ? 0 : log ? delta - s[j] : s[i] * (delta - s[j]);
            }
        }

        Assert.That(jacobian.Shape.ToArray(), Is.EqualTo(new[] { n, n }));
        Assert.That(outer * length * inner, Is.EqualTo(n));
        TestTensors.AssertClose(jacobian, expected, 1e-15, "Jacobian");
    }

    [Test]
    public void Input_is_left_unchanged_and_the_output_is_a_new_tensor()
    {
        Tensor x = Logits([3, 4], seed: 4, scale: 2);
        double[] before = Doubles(x);

        Tensor y = x.Softmax(0);
        Tensor z = x.LogSoftmax();

        Assert.That(Doubles(x), Is.EqualTo(before));
        Assert.That(Doubles(y), Is.Not.EqualTo(before));
        Assert.That(Doubles(z), Is.Not.EqualTo(before));
    }

    [Test]
    public void Nothing_is_recorded_under_NoGrad()
    {
        Tensor x = Logits([3, 4], seed: 4, scale: 2).RequireGrad();

        using (Tensor.NoGrad())
        {
            Assert.That(x.Softmax().RequiresGrad, Is.False);
            Assert.That(x.LogSoftmax(0).IsLeaf, Is.True);
        }

        Assert.That(x.Softmax().RequiresGrad, Is.True);
    }

    [TestCase(new[] { 0, 4 }, 1)]
    [TestCase(new[] { 0, 4 }, -1)]
    [TestCase(new[] { 4, 0 }, 1)]
    [TestCase(new[] { 2, 0 }, -1)]
    public void Empty_tensors_give_empty_results_and_empty_gradients(int[] shape, int axis)
    {
        Tensor x = Tensor.Zeros(shape, DType.Float64).RequireGrad();

        Tensor y = x.Softmax(axis);
        Tensor z = x.LogSoftmax(axis);
        (y.Sum() + z.Sum()).Backward();

        Assert.That(y.Shape.ToArray(), Is.EqualTo(shape));
        Assert.That(z.Shape.ToArray(), Is.EqualTo(shape));
        Assert.That(x.Grad!.Shape.ToArray(), Is.EqualTo(shape));
    }

    [TestCase(new[] { 3, 0 }, 0)]
    [TestCase(new[] { 0, 4 }, 0)]
    [TestCase(new[] { 2, 0, 3 }, 1)]
    [TestCase(new[] { 2, 3, 0 }, 1)]
    public void Empty_tensors_along_a_strided_axis_give_empty_results_and_empty_gradients(int[] shape, int axis)
        => Empty_tensors_give_empty_results_and_empty_gradients(shape, axis);

    [Test]
    public void An_axis_out_of_range_names_the_op_and_the_rank()
    {
        Tensor x = Tensor.Ones([2, 3]);

        Assert.Multiple(() =>
        {
            Assert.That(() => x.Softmax(2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Softmax").And.Message.Contains("rank 2"));
            Assert.That(() => x.Softmax(-3), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Softmax"));
            Assert.That(() => x.LogSoftmax(2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("LogSoftmax").And.Message.Contains("rank 2"));
            Assert.That(() => Tensor.Scalar(1).LogSoftmax(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("LogSoftmax").And.Message.Contains("rank 0"));
        });
    }

    /// <summary>Seeded float64 logits: standard normal samples times <paramref name="scale"/>.</summary>
    private static Tensor Logits(int[] shape, int seed, double scale)
        => Tensor.RandomNormal(shape, new RandomSource(seed), 0, scale, DType.Float64);

    private static double[] Doubles(Tensor t) => t.ToDType(DType.Float64).ToArray<double>();

    /// <summary>The shape as [outer, length, inner] around <paramref name="axis"/>.</summary>
    private static (int Outer, int Length, int Inner) Split(int[] shape, int axis)
    {
        int resolved = axis < 0 ? axis + shape.Length : axis;
        int outer = shape.Take(resolved).Aggregate(1, (a, b) => a * b);
        int inner = shape.Skip(resolved + 1).Aggregate(1, (a, b) => a * b);
        return (outer, shape[resolved], inner);
    }

    /// <summary>exp(xᵢ) / Σⱼ exp(xⱼ), or xᵢ − log Σⱼ exp(xⱼ), along the axis: the textbook formulas, without a shift.</summary>
    private static double[] Reference(double[] x, int[] shape, int axis, bool log)
    {
        (int outer, int length, int inner) = Split(shape, axis);
        var y = new double[x.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double sum = 0;
                for (int a = 0; a < length; a++)
                {
                    sum += Math.Exp(x[(((o * length) + a) * inner) + i]);
                }

                for (int a = 0; a < length; a++)
                {
                    int k = (((o * length) + a) * inner) + i;
                    y[k] = log ? x[k] - Math.Log(sum) : Math.Exp(x[k]) / sum;
                }
            }
        }

        return y;
    }

    private static void AssertRelativelyClose(double[] actual, double[] expected, double tolerance, bool absoluteBelow1)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        var failures = new List<string>();
        for (int i = 0; i < actual.Length && failures.Count < 8; i++)
        {
            double scale = absoluteBelow1 ? Math.Max(1, Math.Abs(expected[i])) : Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance * scale))
            {
                failures.Add($"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
            }
        }

        Assert.That(failures, Is.Empty);
    }
}
