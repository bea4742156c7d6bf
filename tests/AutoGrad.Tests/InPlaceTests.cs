using System.Globalization;

namespace AutoGrad.Tests;

/// <summary>
/// The public in-place updates (<see cref="Tensor.AddInPlace(Tensor, double)"/> and friends, <see cref="Tensor.CopyFrom"/>)
/// and <see cref="Tensor.AllFinite"/>: values against scalar references written here, at lengths that cover vector
/// bodies and tails; refusals (shape, element type, recorded computations) that leave the tensor unchanged; and the
/// version counter each write bumps, so that Backward notices a saved tensor changed.
/// </summary>
public sealed class InPlaceTests
{
    private static readonly int[] Lengths = [0, 1, 7, 16, 33, 100, 1000, 4099];

    private static readonly DType[] DTypes = [DType.Float32, DType.Float64];

    /// <summary>Every in-place method, applied with operands of the target's shape and element type (made from the target's).</summary>
    private static readonly (string Name, Action<Tensor, Tensor> Apply)[] Methods =
    [
        ("AddInPlace", (t, o) => t.AddInPlace(o, 0.5)),
        ("AddInPlace", (t, _) => t.AddInPlace(2.0)),
        ("MultiplyInPlace", (t, _) => t.MultiplyInPlace(3.0)),
        ("AddProductInPlace", (t, o) => t.AddProductInPlace(o, o, 0.25)),
        ("AddQuotientInPlace", (t, o) => t.AddQuotientInPlace(o, o, 0.25)),
        ("LerpInPlace", (t, o) => t.LerpInPlace(o, 0.5)),
        ("SqrtInPlace", (t, _) => t.SqrtInPlace()),
        ("FillInPlace", (t, _) => t.FillInPlace(7)),
        ("CopyFrom", (t, o) => t.CopyFrom(o)),
    ];

    /// <summary>The methods with tensor operands, each applied with a bad first or second operand.</summary>
    private static readonly (string Name, Action<Tensor, Tensor, Tensor> Apply)[] MethodsWithOperands =
    [
        ("AddInPlace", (t, bad, _) => t.AddInPlace(bad)),
        ("AddProductInPlace", (t, bad, good) => t.AddProductInPlace(bad, good)),
        ("AddProductInPlace", (t, bad, good) => t.AddProductInPlace(good, bad, 2)),
        ("AddQuotientInPlace", (t, bad, good) => t.AddQuotientInPlace(bad, good)),
        ("AddQuotientInPlace", (t, bad, good) => t.AddQuotientInPlace(good, bad, 2)),
        ("LerpInPlace", (t, bad, _) => t.LerpInPlace(bad, 0.5)),
        ("CopyFrom", (t, bad, _) => t.CopyFrom(bad)),
    ];

    public static IEnumerable<TestCaseData> TypesAndLengths()
        => from dtype in DTypes
           from length in Lengths
           select new TestCaseData(dtype, length).SetArgDisplayNames(dtype.Name(), length.ToString(CultureInfo.InvariantCulture));

    public static IEnumerable<TestCaseData> AllMethods()
        => Methods.Select((m, i) => new TestCaseData(m.Apply).SetArgDisplayNames($"{m.Name} #{i}"));

    public static IEnumerable<TestCaseData> OperandMethods()
        => MethodsWithOperands.Select((m, i) => new TestCaseData(m.Name, m.Apply).SetArgDisplayNames($"{m.Name} #{i}"));

    [TestCaseSource(nameof(TypesAndLengths))]
    public void AddInPlace_adds_a_scaled_tensor(DType dtype, int length)
    {
        foreach (double scale in new[] { 1, -0.25, 0.3 })
        {
            double[] a = Values(dtype, length, seed: 1, -2, 2), b = Values(dtype, length, seed: 2, -2, 2);
            Tensor t = Create(a, dtype);
            double s = Round(scale, dtype);

            t.AddInPlace(Create(b, dtype), scale);

            AssertWithin(t, [.. a.Select((v, i) => v + (s * b[i]))], [.. a.Select((v, i) => Math.Abs(v) + Math.Abs(s * b[i]))], 2, dtype, $"scale {scale}");
        }

        double[] c = Values(dtype, length, seed: 3, -2, 2), d = Values(dtype, length, seed: 4, -2, 2);
        Tensor byDefault = Create(c, dtype);
        byDefault.AddInPlace(Create(d, dtype));
        AssertExactly(byDefault, [.. c.Select((v, i) => Round(v + d[i], dtype))], "scale 1 by default: one rounding");
    }

    [TestCaseSource(nameof(TypesAndLengths))]
    public void AddInPlace_of_a_constant_and_MultiplyInPlace_round_once(DType dtype, int length)
    {
        double[] a = Values(dtype, length, seed: 5, -3, 3);
        Tensor plus = Create(a, dtype);
        Tensor times = Create(a, dtype);

        plus.AddInPlace(0.1);
        times.MultiplyInPlace(-0.7);

        AssertExactly(plus, [.. a.Select(v => Round(v + Round(0.1, dtype), dtype))], "AddInPlace(0.1)");
        AssertExactly(times, [.. a.Select(v => Round(v * Round(-0.7, dtype), dtype))], "MultiplyInPlace(−0.7)");
    }

    [TestCaseSource(nameof(TypesAndLengths))]
    public void AddProductInPlace_adds_scale_times_x_times_y(DType dtype, int length)
    {
        double[] a = Values(dtype, length, seed: 6, -2, 2), x = Values(dtype, length, seed: 7, -2, 2), y = Values(dtype, length, seed: 8, -2, 2);
        Tensor t = Create(a, dtype);
        double s = Round(-0.1, dtype);

        t.AddProductInPlace(Create(x, dtype), Create(y, dtype), -0.1);

        AssertWithin(t, [.. a.Select((v, i) => v + (s * x[i] * y[i]))], [.. a.Select((v, i) => Math.Abs(v) + Math.Abs(s * x[i] * y[i]))], 4, dtype);

        // Adam's second moment: v += (1 − β₂) g ⊙ g, one tensor as both factors; and the default scale 1.
        Tensor v2 = Create(a, dtype);
        Tensor g = Create(x, dtype);
        v2.AddProductInPlace(g, g);
        AssertWithin(v2, [.. a.Select((v, i) => v + (x[i] * x[i]))], [.. a.Select((v, i) => Math.Abs(v) + (x[i] * x[i]))], 2, dtype, "g ⊙ g, scale 1");
    }

    [TestCaseSource(nameof(TypesAndLengths))]
    public void AddQuotientInPlace_adds_scale_times_numerator_over_denominator(DType dtype, int length)
    {
        double[] a = Values(dtype, length, seed: 9, -2, 2), n = Values(dtype, length, seed: 10, -2, 2);
        double[] d = [.. Values(dtype, length, seed: 11, 0.5, 2).Select((v, i) => i % 3 == 0 ? -v : v)];
        Tensor t = Create(a, dtype);
        double s = Round(0.3, dtype);

        t.AddQuotientInPlace(Create(n, dtype), Create(d, dtype), 0.3);

        AssertWithin(t, [.. a.Select((v, i) => v + (s * n[i] / d[i]))], [.. a.Select((v, i) => Math.Abs(v) + Math.Abs(s * n[i] / d[i]))], 4, dtype);
    }

    [TestCaseSource(nameof(TypesAndLengths))]
    public void LerpInPlace_moves_toward_the_end_by_the_weight(DType dtype, int length)
    {
        foreach (double weight in new[] { 0.1, 0.5, 0.999 })
        {
            double[] a = Values(dtype, length, seed: 12, -2, 2), e = Values(dtype, length, seed: 13, -2, 2);
            Tensor t = Create(a, dtype);
            double w = Round(weight, dtype);

            t.LerpInPlace(Create(e, dtype), weight);

            AssertWithin(t, [.. a.Select((v, i) => v + (w * (e[i] - v)))], [.. a.Select((v, i) => Math.Abs(v) + Math.Abs(e[i]))], 4, dtype, $"weight {weight}");
        }
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void LerpInPlace_with_weight_0_keeps_the_start_and_with_weight_1_reaches_the_end_exactly(DType dtype)
    {
        double[] a = Values(dtype, 33, seed: 14, -2, 2), e = Values(dtype, 33, seed: 15, -2, 2);
        Tensor start = Create(a, dtype), end = Create(e, dtype);
        Tensor zero = Create(a, dtype), one = Create(a, dtype);

        zero.LerpInPlace(end, 0);
        one.LerpInPlace(end, 1);

        AssertExactly(zero, a, "weight 0");
        AssertExactly(one, e, "weight 1");
        AssertExactly(start, a, "the operand");
    }

    [TestCaseSource(nameof(TypesAndLengths))]
    public void SqrtInPlace_is_the_correctly_rounded_square_root(DType dtype, int length)
    {
        double[] specials = [0, -0.0, double.PositiveInfinity, -1, double.NaN, double.NegativeInfinity, double.Epsilon, 2];
        double[] a = [.. Values(dtype, length, seed: 16, 0, 100).Select((v, i) => i % 5 == 1 ? specials[(i / 5) % specials.Length] : v)];
        Tensor t = Create(a, dtype);

        t.SqrtInPlace();

        // float32: the float64 root of a float32, rounded to float32, is the correctly rounded float32 root.
        AssertExactly(t, [.. a.Select(v => Round(Math.Sqrt(v), dtype))], "√");
    }

    [TestCaseSource(nameof(TypesAndLengths))]
    public void FillInPlace_sets_every_element(DType dtype, int length)
    {
        Tensor t = Create(Values(dtype, length, seed: 17, -2, 2), dtype);

        t.FillInPlace(0.1);

        AssertExactly(t, [.. Enumerable.Repeat(Round(0.1, dtype), length)], "0.1");
        t.FillInPlace(double.NaN);
        Assert.That(Doubles(t), Is.All.NaN);
    }

    [TestCaseSource(nameof(TypesAndLengths))]
    public void CopyFrom_copies_and_converts_rounding_to_nearest(DType dtype, int length)
    {
        // Doubles that need rounding to float32: halfway cases, beyond float32's range, subnormal and below it.
        double[] hard =
        [
            1 + Math.ScaleB(1, -24), 1 + Math.ScaleB(3, -24), 1 + Math.ScaleB(1, -24) + Math.ScaleB(1, -50), -(1 + Math.ScaleB(1, -23) + Math.ScaleB(1, -24)),
            1e300, -1e300, 3.4028235677973366e38, 1e-40, -1e-45, 1e-50, -0.0, double.NaN, double.PositiveInfinity, 0.1, Math.PI,
        ];
        double[] source = [.. Values(DType.Float64, length, seed: 18, -1e6, 1e6).Select((v, i) => i % 3 == 2 ? hard[(i / 3) % hard.Length] : v)];
        Tensor wide = Tensor.Create(source);
        Tensor narrow = Tensor.Create([.. source.Select(v => (float)v)]);
        Tensor target = Tensor.Zeros([length], dtype);

        target.CopyFrom(wide);
        AssertExactly(target, [.. source.Select(v => Round(v, dtype))], "from float64");

        target.FillInPlace(5);
        target.CopyFrom(narrow);
        AssertExactly(target, [.. source.Select(v => (double)(float)v)], "from float32");

        // A copy, not a view: changing the source afterwards leaves the target alone.
        wide.FillInPlace(9);
        narrow.FillInPlace(9);
        AssertExactly(target, [.. source.Select(v => (double)(float)v)], "after the source changed");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void CopyFrom_keeps_the_shape_and_element_type_of_the_target(DType dtype)
    {
        Tensor target = Tensor.Zeros([2, 3], dtype);

        target.CopyFrom(Tensor.Arange(0, 6, dtype: dtype == DType.Float32 ? DType.Float64 : DType.Float32).Reshape(2, 3));

        Assert.That(target.DType, Is.EqualTo(dtype));
        Assert.That(target.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(target[1, 2], Is.EqualTo(5));
    }

    [TestCaseSource(nameof(OperandMethods))]
    public void An_operand_of_another_shape_is_rejected_naming_both_shapes_and_nothing_changes(string name, Action<Tensor, Tensor, Tensor> apply)
    {
        Tensor t = Tensor.Create(new[] { 1.0, 2, 3, 4, 5, 6 }, [2, 3]);
        int version = t.Version;

        Assert.That(
            () => apply(t, Tensor.Ones([3, 2], DType.Float64), Tensor.Ones([2, 3], DType.Float64)),
            Throws.ArgumentException.With.Message.Contains(name).And.Message.Contains("[2, 3]").And.Message.Contains("[3, 2]"));
        Assert.That(
            () => apply(t, Tensor.Ones([6], DType.Float64), Tensor.Ones([2, 3], DType.Float64)),
            Throws.ArgumentException.With.Message.Contains(name).And.Message.Contains("[6]"));

        AssertExactly(t, [1, 2, 3, 4, 5, 6], "unchanged");
        Assert.That(t.Version, Is.EqualTo(version), "no write recorded");
    }

    [TestCaseSource(nameof(OperandMethods))]
    public void An_operand_of_another_element_type_is_rejected_except_by_CopyFrom(string name, Action<Tensor, Tensor, Tensor> apply)
    {
        Tensor t = Tensor.Create(new[] { 1.0, 2, 3 });

        if (name == "CopyFrom")
        {
            apply(t, Tensor.Create(new[] { 4f, 5, 6 }), Tensor.Ones([3], DType.Float64));
            AssertExactly(t, [4, 5, 6], "converted");
            return;
        }

        Assert.That(
            () => apply(t, Tensor.Ones([3], DType.Float32), Tensor.Ones([3], DType.Float64)),
            Throws.ArgumentException.With.Message.Contains(name).And.Message.Contains("float32").And.Message.Contains("float64"));
        AssertExactly(t, [1, 2, 3], "unchanged");
    }

    [Test]
    public void CopyFrom_rejects_a_null_source_and_records_no_write()
        => AssertNullRejected("CopyFrom", (t, bad, _) => t.CopyFrom(bad));

    [TestCaseSource(nameof(OperandMethods))]
    public void A_null_operand_is_rejected_and_no_write_is_recorded(string name, Action<Tensor, Tensor, Tensor> apply)
        => AssertNullRejected(name, apply);

    [TestCaseSource(nameof(AllMethods))]
    public void A_tensor_an_op_produced_is_refused_with_or_without_NoGrad_and_left_unchanged(Action<Tensor, Tensor> apply)
    {
        Tensor w = Tensor.Create(new[] { 1.0, 4.0 }).RequireGrad();
        Tensor produced = w * 2;
        Tensor operand = Tensor.Create(new[] { 3.0, 9.0 });

        Assert.That(() => apply(produced, operand), Throws.InvalidOperationException.With.Message.Contains("NoGrad"));
        using (Tensor.NoGrad())
        {
            Assert.That(() => apply(produced, operand), Throws.InvalidOperationException);
        }

        AssertExactly(produced, [2, 8], "unchanged");
        produced.Sum().Backward();
        AssertExactly(w.Grad!, [2, 2], "the graph still differentiates");
    }

    [TestCaseSource(nameof(AllMethods))]
    public void A_tensor_that_requires_grad_is_refused_while_recording_and_updated_under_NoGrad(Action<Tensor, Tensor> apply)
    {
        Tensor w = Tensor.Create(new[] { 1.0, 4.0 }).RequireGrad();
        Tensor operand = Tensor.Create(new[] { 3.0, 9.0 });
        int version = w.Version;

        Assert.That(() => apply(w, operand), Throws.InvalidOperationException.With.Message.Contains("NoGrad"));
        AssertExactly(w, [1, 4], "unchanged");
        Assert.That(w.Version, Is.EqualTo(version), "no write recorded");

        using (Tensor.NoGrad())
        {
            apply(w, operand);
        }

        Assert.That(Doubles(w), Is.Not.EqualTo(new[] { 1.0, 4.0 }), "updated");
        Assert.That(w.Version, Is.GreaterThan(version));
        Assert.That(w.RequiresGrad && w.IsLeaf, Is.True);
    }

    [TestCaseSource(nameof(AllMethods))]
    public void A_data_tensor_may_change_while_recording_and_Backward_then_reports_that_a_saved_tensor_changed(Action<Tensor, Tensor> apply)
    {
        Tensor w = Tensor.Create(new[] { 1.0, 4.0 }).RequireGrad();
        Tensor x = Tensor.Create(new[] { 2.0, 16.0 });
        Tensor loss = (w * x).Sum(); // saves x for ∂/∂w

        apply(x, Tensor.Create(new[] { 3.0, 9.0 }));

        Assert.That(Doubles(x), Is.Not.EqualTo(new[] { 2.0, 16.0 }));
        Assert.That(() => loss.Backward(), Throws.InvalidOperationException.With.Message.Contains("modified in place"));
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void AllFinite_is_false_with_NaN_or_an_infinity_at_any_position_of_short_and_long_tensors(DType dtype)
    {
        var failures = new List<string>();
        foreach (int length in Enumerable.Range(1, 40).Concat([100, 1000, 4099]))
        {
            Tensor t = Create(Values(dtype, length, seed: length, -1e6, 1e6), dtype);
            if (!t.AllFinite())
            {
                failures.Add($"finite values of length {length}");
            }

            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                for (int position = 0; position < length; position++)
                {
                    // Written through the storage, so that a long tensor is not rebuilt for every position.
                    double saved = Swap(t, position, bad);
                    if (t.AllFinite())
                    {
                        failures.Add($"{bad} at {position} of {length}");
                    }

                    Swap(t, position, saved);
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void AllFinite_is_true_for_empty_tensors_and_extreme_finite_values(DType dtype)
    {
        double max = dtype == DType.Float32 ? float.MaxValue : double.MaxValue;
        double tiny = dtype == DType.Float32 ? float.Epsilon : double.Epsilon;

        Assert.Multiple(() =>
        {
            Assert.That(Tensor.Zeros([0], dtype).AllFinite(), Is.True);
            Assert.That(Tensor.Zeros([3, 0, 2], dtype).AllFinite(), Is.True);
            Assert.That(Create([max, -max, tiny, -tiny, 0, -0.0, 1], dtype).AllFinite(), Is.True);
            Assert.That(Tensor.Scalar(double.NaN, dtype).AllFinite(), Is.False);
            Assert.That(Tensor.Scalar(max, dtype).AllFinite(), Is.True);
        });
    }

    [Test]
    public void AllFinite_sees_float64_values_that_overflowed_float32()
    {
        Tensor x = Tensor.Create(new[] { 1.0, 1e300 });

        Assert.That(x.AllFinite(), Is.True);
        Assert.That(x.ToDType(DType.Float32).AllFinite(), Is.False);
    }

    /// <summary>A null operand in the bad position throws ArgumentNullException and leaves the values and the version counter alone.</summary>
    private static void AssertNullRejected(string name, Action<Tensor, Tensor, Tensor> apply)
    {
        Tensor t = Tensor.Create(new[] { 1.0, 2, 3 });
        int version = t.Version;

        Assert.That(() => apply(t, null!, Tensor.Ones([3], DType.Float64)), Throws.ArgumentNullException, name);
        AssertExactly(t, [1, 2, 3], "unchanged");
        Assert.That(t.Version, Is.EqualTo(version), "no write recorded");
    }

    /// <summary>Seeded uniform values in [<paramref name="low"/>, <paramref name="high"/>), rounded to the element type.</summary>
    private static double[] Values(DType dtype, int length, int seed, double low, double high)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => Round(low + (random.NextDouble() * (high - low)), dtype))];
    }

    /// <summary>Sets one element through the storage and returns the value it replaced.</summary>
    private static double Swap(Tensor t, int index, double value)
    {
        double old = t[index];
        if (t.DType == DType.Float32)
        {
            t.AsSpan<float>()[index] = (float)value;
        }
        else
        {
            t.AsSpan<double>()[index] = value;
        }

        return old;
    }

    private static double Round(double value, DType dtype) => dtype == DType.Float32 ? (float)value : value;

    private static Tensor Create(double[] values, DType dtype)
        => dtype == DType.Float32 ? Tensor.Create([.. values.Select(v => (float)v)]) : Tensor.Create([.. values]);

    private static double[] Doubles(Tensor t) => t.ToDType(DType.Float64).ToArray<double>();

    private static double UnitRoundoff(DType dtype) => Math.ScaleB(1, dtype == DType.Float32 ? -24 : -53);

    /// <summary>Bit for bit, except that any NaN matches any NaN.</summary>
    private static void AssertExactly(Tensor actual, double[] expected, string what)
    {
        double[] values = Doubles(actual);
        Assert.That(values, Has.Length.EqualTo(expected.Length), what);
        Assert.That(
            Enumerable.Range(0, values.Length)
                .Where(i => double.IsNaN(expected[i]) ? !double.IsNaN(values[i]) : BitConverter.DoubleToInt64Bits(values[i]) != BitConverter.DoubleToInt64Bits(expected[i]))
                .Take(8)
                .Select(i => $"[{i}] expected {expected[i]:R}, got {values[i]:R}"),
            Is.Empty,
            what);
    }

    /// <summary>Within <paramref name="roundoffs"/> unit roundoffs of the element type times each element's <paramref name="magnitude"/>.</summary>
    private static void AssertWithin(Tensor actual, double[] expected, double[] magnitude, double roundoffs, DType dtype, string what = "")
    {
        double[] values = Doubles(actual);
        Assert.That(values, Has.Length.EqualTo(expected.Length), what);
        Assert.That(
            Enumerable.Range(0, values.Length)
                .Where(i => !(Math.Abs(values[i] - expected[i]) <= roundoffs * UnitRoundoff(dtype) * magnitude[i]))
                .Take(8)
                .Select(i => $"[{i}] expected {expected[i]:R}, got {values[i]:R}"),
            Is.Empty,
            what);
    }
}
