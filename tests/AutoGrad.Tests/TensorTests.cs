namespace AutoGrad.Tests;

/// <summary>
/// The public Tensor surface: factories, shape queries, element access, views, broadcasting and conversion,
/// each checked against values written out by hand.
/// </summary>
public sealed class TensorTests
{
    // ---- Factories: Create ----

    [Test]
    public void Create_from_a_float_span_and_a_shape_holds_the_values_in_row_major_order()
    {
        Tensor t = Tensor.Create(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);

        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(t[0, 2], Is.EqualTo(3));
        Assert.That(t[1, 0], Is.EqualTo(4));
    }

    [Test]
    public void Create_from_a_double_span_and_a_shape_holds_the_values_in_row_major_order()
    {
        Tensor t = Tensor.Create(new double[] { 0.5, -1.5, 2.25, 1e-300, 7, 8 }, [3, 2]);

        Assert.That(t.DType, Is.EqualTo(DType.Float64));
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 0.5, -1.5, 2.25, 1e-300, 7, 8 }));
        Assert.That(t[1, 1], Is.EqualTo(1e-300));
        Assert.That(t[2, 0], Is.EqualTo(7));
    }

    [Test]
    public void Create_copies_the_data_so_later_changes_to_the_source_do_not_show()
    {
        float[] source = [1, 2, 3];
        Tensor t = Tensor.Create(source, [3]);

        source[0] = 100;

        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3 }));
    }

    [Test]
    public void Create_from_a_float_array_makes_a_one_dimensional_float32_tensor()
    {
        Tensor t = Tensor.Create(new float[] { 3, -1, 0.5f });

        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 3 }));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 3, -1, 0.5f }));
    }

    [Test]
    public void Create_from_a_double_array_makes_a_one_dimensional_float64_tensor()
    {
        Tensor t = Tensor.Create(new double[] { 0.1, 0.2 });

        Assert.That(t.DType, Is.EqualTo(DType.Float64));
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2 }));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 0.1, 0.2 }));
    }

    [Test]
    public void Create_from_a_two_dimensional_float_array_lays_out_rows_first()
    {
        Tensor t = Tensor.Create(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });

        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public void Create_from_a_two_dimensional_double_array_lays_out_rows_first()
    {
        Tensor t = Tensor.Create(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });

        Assert.That(t.DType, Is.EqualTo(DType.Float64));
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(t[2, 1], Is.EqualTo(6));
    }

    [Test]
    public void Create_with_a_data_length_that_does_not_fill_the_shape_throws_naming_both_counts()
    {
        Assert.That(
            () => Tensor.Create(new float[7], [2, 4]),
            Throws.ArgumentException.With.Message.Contains("7").And.Message.Contains("8"));
        Assert.That(
            () => Tensor.Create(new double[9], [5]),
            Throws.ArgumentException.With.Message.Contains("9").And.Message.Contains("5"));
    }

    [Test]
    public void A_negative_length_in_a_shape_throws()
    {
        Assert.That(() => Tensor.Create(ReadOnlySpan<float>.Empty, [-1, 0]), Throws.ArgumentException);
        Assert.That(() => Tensor.Zeros([2, -3]), Throws.ArgumentException);
        Assert.That(() => Tensor.Ones([-1]), Throws.ArgumentException);
        Assert.That(() => Tensor.Full([-2, -2], 1.0), Throws.ArgumentException);
    }

    // ---- Factories: filled tensors ----

    [Test]
    public void Zeros_is_float32_by_default_and_holds_only_zeros()
    {
        Tensor t = Tensor.Zeros([2, 3]);

        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[6]));
    }

    [Test]
    public void Zeros_of_float64_holds_double_zeros()
    {
        Tensor t = Tensor.Zeros([4], DType.Float64);

        Assert.That(t.DType, Is.EqualTo(DType.Float64));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[4]));
    }

    [Test]
    public void Ones_holds_only_ones_in_either_element_type()
    {
        Assert.That(Tensor.Ones([2, 2]).ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 1, 1 }));
        Assert.That(Tensor.Ones([3], DType.Float64).ToArray<double>(), Is.EqualTo(new double[] { 1, 1, 1 }));
        Assert.That(Tensor.Ones([3], DType.Float64).DType, Is.EqualTo(DType.Float64));
    }

    [Test]
    public void Full_rounds_the_value_to_the_element_type()
    {
        Tensor single = Tensor.Full([2, 2], 0.1);
        Tensor dbl = Tensor.Full([3], 0.1, DType.Float64);

        Assert.That(single.DType, Is.EqualTo(DType.Float32));
        Assert.That(single.ToArray<float>(), Is.EqualTo(new[] { 0.1f, 0.1f, 0.1f, 0.1f }));
        Assert.That(dbl.DType, Is.EqualTo(DType.Float64));
        Assert.That(dbl.ToArray<double>(), Is.EqualTo(new[] { 0.1, 0.1, 0.1 }));
    }

    [Test]
    public void Scalar_has_rank_zero_and_one_element()
    {
        Tensor t = Tensor.Scalar(3.5);

        Assert.That(t.Rank, Is.Zero);
        Assert.That(t.Shape.ToArray(), Is.Empty);
        Assert.That(t.ElementCount, Is.EqualTo(1));
        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Item(), Is.EqualTo(3.5));
    }

    [Test]
    public void Scalar_keeps_the_value_at_the_precision_of_its_element_type()
    {
        Assert.That(Tensor.Scalar(0.1, DType.Float64).Item(), Is.EqualTo(0.1));
        Assert.That(Tensor.Scalar(0.1, DType.Float64).DType, Is.EqualTo(DType.Float64));
        Assert.That(Tensor.Scalar(0.1).Item(), Is.EqualTo((double)0.1f));
    }

    [Test]
    public void ZerosLike_and_OnesLike_copy_the_shape_and_element_type()
    {
        Tensor like = Tensor.Create(new double[] { 9, 9, 9, 9, 9, 9 }, [3, 2]);

        Tensor zeros = Tensor.ZerosLike(like);
        Tensor ones = Tensor.OnesLike(like);

        Assert.That(zeros.Shape.ToArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(zeros.DType, Is.EqualTo(DType.Float64));
        Assert.That(zeros.ToArray<double>(), Is.EqualTo(new double[6]));
        Assert.That(ones.Shape.ToArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(ones.DType, Is.EqualTo(DType.Float64));
        Assert.That(ones.ToArray<double>(), Is.EqualTo(new double[] { 1, 1, 1, 1, 1, 1 }));
        Assert.That(Tensor.OnesLike(Tensor.Zeros([2])).DType, Is.EqualTo(DType.Float32));
    }

    // ---- Factories: Arange ----

    [Test]
    public void Arange_with_only_a_stop_counts_from_zero()
    {
        Tensor t = Tensor.Arange(5);

        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 5 }));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void Arange_with_only_a_stop_can_make_float64()
    {
        Tensor t = Tensor.Arange(0, 3, dtype: DType.Float64);

        Assert.That(t.DType, Is.EqualTo(DType.Float64));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 0, 1, 2 }));
    }

    [Test]
    public void Arange_with_start_stop_and_step_excludes_the_stop()
    {
        Assert.That(Tensor.Arange(2, 8, 2).ToArray<float>(), Is.EqualTo(new float[] { 2, 4, 6 }));
        Assert.That(Tensor.Arange(2, 9, 2).ToArray<float>(), Is.EqualTo(new float[] { 2, 4, 6, 8 }));
        Assert.That(Tensor.Arange(1.5, 4).ToArray<float>(), Is.EqualTo(new float[] { 1.5f, 2.5f, 3.5f }));
    }

    [Test]
    public void Arange_with_a_negative_step_counts_down_to_above_the_stop()
    {
        Assert.That(Tensor.Arange(5, 0, -1).ToArray<float>(), Is.EqualTo(new float[] { 5, 4, 3, 2, 1 }));
        Assert.That(
            Tensor.Arange(1, -1, -0.5, DType.Float64).ToArray<double>(),
            Is.EqualTo(new double[] { 1, 0.5, 0, -0.5 }));
    }

    [Test]
    public void Arange_with_a_fractional_step_has_the_expected_count_and_values()
    {
        Assert.That(Tensor.Arange(0, 1, 0.25).ToArray<float>(), Is.EqualTo(new float[] { 0, 0.25f, 0.5f, 0.75f }));

        double[] tenths = Tensor.Arange(0, 1, 0.1, DType.Float64).ToArray<double>();
        Assert.That(tenths, Has.Length.EqualTo(10));
        Assert.That(tenths, Is.EqualTo(new[] { 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 }).Within(1e-15));
    }

    [Test]
    public void Arange_is_empty_when_the_step_points_away_from_the_stop()
    {
        Assert.That(Tensor.Arange(0).ElementCount, Is.Zero);
        Assert.That(Tensor.Arange(3, 3).ElementCount, Is.Zero);
        Assert.That(Tensor.Arange(5.0, 0).ElementCount, Is.Zero);
        Assert.That(Tensor.Arange(0, 5, -1).Shape.ToArray(), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Arange_with_a_zero_or_non_finite_step_throws()
    {
        Assert.That(() => Tensor.Arange(0, 1, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Tensor.Arange(0, 1, double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Tensor.Arange(0, double.PositiveInfinity, 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    // ---- Shape, Rank, ElementCount ----

    [Test]
    public void Shape_rank_and_element_count_describe_a_three_dimensional_tensor()
    {
        Tensor t = Tensor.Zeros([2, 3, 4]);

        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(t.Rank, Is.EqualTo(3));
        Assert.That(t.ElementCount, Is.EqualTo(24));
    }

    [Test]
    public void A_one_dimensional_tensor_of_length_zero_has_no_elements()
    {
        Tensor t = Tensor.Zeros([0]);

        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 0 }));
        Assert.That(t.Rank, Is.EqualTo(1));
        Assert.That(t.ElementCount, Is.Zero);
        Assert.That(t.ToArray<float>(), Is.Empty);
    }

    [Test]
    public void A_two_by_zero_tensor_has_rank_two_and_no_elements()
    {
        Tensor t = Tensor.Create(ReadOnlySpan<double>.Empty, [2, 0]);

        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 0 }));
        Assert.That(t.Rank, Is.EqualTo(2));
        Assert.That(t.ElementCount, Is.Zero);
        Assert.That(t.ToArray<double>(), Is.Empty);
    }

    // ---- Item ----

    [Test]
    public void Item_returns_the_only_element_whatever_the_rank()
    {
        Assert.That(Tensor.Scalar(-2.5).Item(), Is.EqualTo(-2.5));
        Assert.That(Tensor.Create(new float[] { 7 }).Item(), Is.EqualTo(7));
        Assert.That(Tensor.Create(new double[] { 0.1 }, [1, 1, 1]).Item(), Is.EqualTo(0.1));
    }

    [Test]
    public void Item_widens_a_float32_element_exactly()
    {
        Assert.That(Tensor.Create(new float[] { 0.1f }).Item(), Is.EqualTo((double)0.1f));
    }

    [Test]
    public void Item_throws_unless_there_is_exactly_one_element()
    {
        Assert.That(() => Tensor.Create(new float[] { 1, 2 }).Item(), Throws.InvalidOperationException);
        Assert.That(() => Tensor.Zeros([2, 2]).Item(), Throws.InvalidOperationException);
        Assert.That(() => Tensor.Zeros([0]).Item(), Throws.InvalidOperationException);
    }

    // ---- Indexer ----

    [Test]
    public void The_indexer_reads_row_major_positions()
    {
        Tensor t = Tensor.Create(new double[] { 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 }, [2, 3, 2]);

        Assert.That(t[0, 0, 0], Is.EqualTo(10));
        Assert.That(t[0, 0, 1], Is.EqualTo(11));
        Assert.That(t[0, 1, 0], Is.EqualTo(12));
        Assert.That(t[0, 2, 1], Is.EqualTo(15));
        Assert.That(t[1, 0, 0], Is.EqualTo(16));
        Assert.That(t[1, 2, 1], Is.EqualTo(21));
    }

    [Test]
    public void The_indexer_counts_negative_indices_from_the_end()
    {
        Tensor t = Tensor.Create(new float[] { 0, 1, 2, 3, 4, 5 }, [2, 3]);

        Assert.That(t[-1, -1], Is.EqualTo(5));
        Assert.That(t[-2, 0], Is.EqualTo(0));
        Assert.That(t[0, -3], Is.EqualTo(0));
        Assert.That(t[1, -2], Is.EqualTo(4));
    }

    [Test]
    public void The_indexer_of_a_scalar_takes_no_indices()
    {
        Tensor t = Tensor.Scalar(4.25, DType.Float64);

        Assert.That(t[ReadOnlySpan<int>.Empty], Is.EqualTo(4.25));
    }

    [Test]
    public void The_indexer_with_the_wrong_number_of_indices_throws_an_argument_exception()
    {
        Tensor t = Tensor.Zeros([2, 3]);

        Assert.That(() => t[1], Throws.ArgumentException);
        Assert.That(() => t[0, 0, 0], Throws.ArgumentException);
    }

    [Test]
    public void The_indexer_out_of_range_throws_naming_the_axis_and_its_length()
    {
        Tensor t = Tensor.Zeros([2, 3]);

        Assert.That(
            () => t[0, 3],
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("axis 1").And.Message.Contains("length 3"));
        Assert.That(
            () => t[2, 0],
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("axis 0").And.Message.Contains("length 2"));
        Assert.That(
            () => t[0, -4],
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("axis 1").And.Message.Contains("length 3"));
        Assert.That(
            () => t[-3, 0],
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("axis 0").And.Message.Contains("length 2"));
    }

    // ---- ToArray / AsReadOnlySpan ----

    [Test]
    public void ToArray_with_the_wrong_element_type_throws()
    {
        Tensor single = Tensor.Zeros([2]);
        Tensor dbl = Tensor.Zeros([2], DType.Float64);

        Assert.That(() => single.ToArray<double>(), Throws.InvalidOperationException);
        Assert.That(() => dbl.ToArray<float>(), Throws.InvalidOperationException);
    }

    [Test]
    public void AsReadOnlySpan_with_the_wrong_element_type_throws()
    {
        Tensor single = Tensor.Zeros([2]);
        Tensor dbl = Tensor.Zeros([2], DType.Float64);

        Assert.That(() => single.AsReadOnlySpan<double>().Length, Throws.InvalidOperationException);
        Assert.That(() => dbl.AsReadOnlySpan<float>().Length, Throws.InvalidOperationException);
    }

    [Test]
    public void AsReadOnlySpan_shows_the_elements_in_row_major_order()
    {
        Tensor t = Tensor.Create(new float[,] { { 1, 2 }, { 3, 4 } });

        Assert.That(t.AsReadOnlySpan<float>().ToArray(), Is.EqualTo(new float[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void ToArray_returns_a_copy_that_can_change_without_changing_the_tensor()
    {
        Tensor t = Tensor.Create(new float[] { 1, 2, 3 });

        float[] copy = t.ToArray<float>();
        copy[0] = 100;

        Assert.That(t[0], Is.EqualTo(1));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3 }));
    }

    // ---- Reshape ----

    [Test]
    public void Reshape_keeps_the_row_major_order_under_the_new_shape()
    {
        Tensor t = Tensor.Create(new float[] { 1, 2, 3, 4, 5, 6 });

        Tensor r = t.Reshape(3, 2);

        Assert.That(r.Shape.ToArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(r.DType, Is.EqualTo(DType.Float32));
        Assert.That(r[0, 1], Is.EqualTo(2));
        Assert.That(r[1, 0], Is.EqualTo(3));
        Assert.That(r[2, 1], Is.EqualTo(6));
    }

    [Test]
    public void Reshape_is_a_view_that_sees_in_place_changes_to_its_source()
    {
        Tensor leaf = Tensor.Create(new float[] { 1, 2, 3, 4, 5, 6 });
        Tensor view = leaf.Reshape(2, 3);

        using (Tensor.NoGrad())
        {
            leaf.AddInPlace(Tensor.Full([6], 10));
        }

        Assert.That(view[1, 2], Is.EqualTo(16));
        Assert.That(view.ToArray<float>(), Is.EqualTo(new float[] { 11, 12, 13, 14, 15, 16 }));
    }

    [Test]
    public void Reshape_infers_a_single_minus_one_length()
    {
        Tensor t = Tensor.Zeros([2, 3, 4]);

        Assert.That(t.Reshape(-1).Shape.ToArray(), Is.EqualTo(new[] { 24 }));
        Assert.That(t.Reshape(6, -1).Shape.ToArray(), Is.EqualTo(new[] { 6, 4 }));
        Assert.That(t.Reshape(-1, 2, 3).Shape.ToArray(), Is.EqualTo(new[] { 4, 2, 3 }));
        Assert.That(t.Reshape(2, -1, 1).Shape.ToArray(), Is.EqualTo(new[] { 2, 12, 1 }));
    }

    [Test]
    public void Reshape_between_a_scalar_and_a_one_element_tensor_works_both_ways()
    {
        Tensor scalar = Tensor.Scalar(5);

        Tensor matrix = scalar.Reshape(1, 1);
        Tensor back = matrix.Reshape();

        Assert.That(matrix.Shape.ToArray(), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(matrix[0, 0], Is.EqualTo(5));
        Assert.That(back.Rank, Is.Zero);
        Assert.That(back.Item(), Is.EqualTo(5));
    }

    [Test]
    public void Reshape_with_more_than_one_minus_one_throws()
    {
        Tensor t = Tensor.Zeros([2, 3]);

        Assert.That(() => t.Reshape(-1, -1), Throws.ArgumentException);
    }

    [Test]
    public void Reshape_to_a_different_element_count_throws_naming_both_shapes()
    {
        Tensor t = Tensor.Zeros([2, 3]);

        Assert.That(
            () => t.Reshape(4),
            Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4]"));
        Assert.That(
            () => t.Reshape(4, -1),
            Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4, -1]"));
    }

    [Test]
    public void Reshape_to_negative_lengths_throws_even_when_their_product_matches()
    {
        Tensor t = Tensor.Zeros([2, 3]);

        Assert.That(() => t.Reshape(-2, -3), Throws.ArgumentException);
    }

    // ---- BroadcastTo ----

    [Test]
    public void BroadcastTo_repeats_a_column_across_the_new_columns()
    {
        Tensor column = Tensor.Create(new float[] { 1, 2, 3 }, [3, 1]);

        Tensor t = column.BroadcastTo(3, 4);

        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 3, 4 }));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 }));
    }

    [Test]
    public void BroadcastTo_fills_a_matrix_with_a_scalar()
    {
        Tensor t = Tensor.Scalar(7, DType.Float64).BroadcastTo(2, 2);

        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(t.DType, Is.EqualTo(DType.Float64));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 7, 7, 7, 7 }));
    }

    [Test]
    public void BroadcastTo_adds_missing_leading_axes()
    {
        Tensor row = Tensor.Create(new double[] { 1, 2, 3, 4 });

        Tensor t = row.BroadcastTo(2, 3, 4);

        Assert.That(t.Shape.ToArray(), Is.EqualTo(new[] { 2, 3, 4 }));
        double[] expected = [.. Enumerable.Repeat(new double[] { 1, 2, 3, 4 }, 6).SelectMany(r => r)];
        Assert.That(t.ToArray<double>(), Is.EqualTo(expected));
        Assert.That(t[1, 2, 3], Is.EqualTo(4));
    }

    [Test]
    public void BroadcastTo_a_shape_that_is_not_an_expansion_throws()
    {
        Tensor three = Tensor.Zeros([3]);
        Tensor twoByThree = Tensor.Zeros([2, 3]);
        Tensor twoByOne = Tensor.Zeros([2, 1]);

        Assert.That(() => three.BroadcastTo(4), Throws.ArgumentException);
        Assert.That(() => three.BroadcastTo(3, 2), Throws.ArgumentException);
        Assert.That(() => twoByThree.BroadcastTo(3), Throws.ArgumentException);
        Assert.That(() => twoByOne.BroadcastTo(1, 1), Throws.ArgumentException);
        Assert.That(() => Tensor.Zeros([1]).BroadcastTo(), Throws.ArgumentException);
    }

    // ---- ToDType ----

    [Test]
    public void ToDType_float32_rounds_doubles_to_the_nearest_float()
    {
        Tensor t = Tensor.Create(new double[] { 0.1, -2.5, 1e-3, 1.0 / 3 }, [2, 2]);

        Tensor f = t.ToDType(DType.Float32);

        Assert.That(f.DType, Is.EqualTo(DType.Float32));
        Assert.That(f.Shape.ToArray(), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(f.ToArray<float>(), Is.EqualTo(new[] { 0.1f, -2.5f, 1e-3f, 1f / 3 }));
    }

    [Test]
    public void ToDType_float32_rounds_up_where_truncation_would_round_down_on_every_vector_path()
    {
        // 1 + 2^-24 + 2^-30 lies above the midpoint between the floats 1 and 1 + 2^-23, so it rounds up.
        double above = 1 + Math.Pow(2, -24) + Math.Pow(2, -30);
        double[] values = [.. Enumerable.Range(0, 37).Select(i => i % 2 == 0 ? above : -above)];
        float up = 1 + MathF.Pow(2, -23);

        float[] converted = Tensor.Create(values).ToDType(DType.Float32).ToArray<float>();

        Assert.That(converted, Is.EqualTo(Enumerable.Range(0, 37).Select(i => i % 2 == 0 ? up : -up).ToArray()));
    }

    [Test]
    public void ToDType_float32_turns_doubles_beyond_the_float_range_into_infinities()
    {
        float[] converted = Tensor.Create(new double[] { 1e300, -1e300 }).ToDType(DType.Float32).ToArray<float>();

        Assert.That(converted, Is.EqualTo(new[] { float.PositiveInfinity, float.NegativeInfinity }));
    }

    [Test]
    public void ToDType_float64_widens_floats_exactly()
    {
        Tensor t = Tensor.Create(new float[] { 0.1f, -3, 1e-30f });

        Tensor d = t.ToDType(DType.Float64);

        Assert.That(d.DType, Is.EqualTo(DType.Float64));
        Assert.That(d.ToArray<double>(), Is.EqualTo(new[] { 0.100000001490116119384765625, -3, (double)1e-30f }));
    }

    [Test]
    public void ToDType_to_the_same_element_type_returns_the_same_instance()
    {
        Tensor single = Tensor.Zeros([2]);
        Tensor dbl = Tensor.Zeros([2], DType.Float64);

        Assert.That(single.ToDType(DType.Float32), Is.SameAs(single));
        Assert.That(dbl.ToDType(DType.Float64), Is.SameAs(dbl));
    }

    // ---- Mixed element types ----

    [Test]
    public void Adding_a_float64_tensor_to_a_float32_tensor_throws_naming_the_op_and_both_types()
    {
        Tensor single = Tensor.Create(new float[] { 1, 2 });
        Tensor dbl = Tensor.Create(new double[] { 1, 2 });

        Assert.That(
            () => single.Add(dbl),
            Throws.ArgumentException.With.Message.Contains("Add")
                .And.Message.Contains("float32").And.Message.Contains("float64"));
    }

    [Test]
    public void Multiplying_a_float32_tensor_by_a_float64_tensor_throws_naming_the_op_and_both_types()
    {
        Tensor single = Tensor.Create(new float[] { 1, 2 });
        Tensor dbl = Tensor.Create(new double[] { 1, 2 });

        Assert.That(
            () => dbl.Multiply(single),
            Throws.ArgumentException.With.Message.Contains("Multiply")
                .And.Message.Contains("float32").And.Message.Contains("float64"));
    }

    // ---- Empty shapes with long axes ----

    [TestCase(int.MaxValue, 0)]
    [TestCase(0, int.MaxValue)]
    [TestCase(65536, 65536, 0)]
    [TestCase(65536, 0, 65536)]
    public void A_shape_with_a_zero_axis_has_no_elements_whatever_its_other_axes(params int[] shape)
    {
        // As in PyTorch: the running product of the axes before the 0 may pass what an array can hold.
        Tensor t = Tensor.Zeros(shape);

        Assert.That(t.Shape.ToArray(), Is.EqualTo(shape));
        Assert.That(t.ElementCount, Is.Zero);
        Assert.That(Tensor.Create(ReadOnlySpan<float>.Empty, shape).ElementCount, Is.Zero);
    }

    [Test]
    public void A_negative_length_after_a_zero_axis_still_throws()
    {
        Assert.That(() => Tensor.Zeros([0, -1]), Throws.ArgumentException.With.Message.Contains("[0, -1]").And.Message.Contains("negative"));
    }

    [Test]
    public void Transposing_an_empty_tensor_with_a_long_axis_swaps_its_lengths_both_ways()
    {
        Tensor wide = Tensor.Zeros([0, int.MaxValue]).RequireGrad();
        Tensor tall = Tensor.Zeros([int.MaxValue, 0]).RequireGrad();

        Tensor wideT = wide.Transpose();
        Tensor tallT = tall.Transpose();
        (wideT.Sum() + tallT.Sum()).Backward();

        Assert.That(wideT.Shape.ToArray(), Is.EqualTo(new[] { int.MaxValue, 0 }));
        Assert.That(tallT.Shape.ToArray(), Is.EqualTo(new[] { 0, int.MaxValue }));
        Assert.That(wide.Grad!.Shape.ToArray(), Is.EqualTo(new[] { 0, int.MaxValue }));
        Assert.That(tall.Grad!.Shape.ToArray(), Is.EqualTo(new[] { int.MaxValue, 0 }));
    }

    [Test]
    public void Reductions_of_an_empty_tensor_with_long_axes_have_the_shapes_PyTorch_gives()
    {
        Tensor x = Tensor.Zeros([65536, 65536, 0]).RequireGrad();

        Assert.That(x.Sum().Item(), Is.Zero);
        Assert.That(x.Sum(0).Shape.ToArray(), Is.EqualTo(new[] { 65536, 0 }));
        Assert.That(x.Sum(1, keepDims: true).Shape.ToArray(), Is.EqualTo(new[] { 65536, 1, 0 }));
        Assert.That(x.Mean(0).Shape.ToArray(), Is.EqualTo(new[] { 65536, 0 }));
        Assert.That(x.Max(1).Shape.ToArray(), Is.EqualTo(new[] { 65536, 0 }));
        Assert.That(x.Softmax(0).Shape.ToArray(), Is.EqualTo(new[] { 65536, 65536, 0 }));
        Assert.That(x.LogSoftmax(2).Shape.ToArray(), Is.EqualTo(new[] { 65536, 65536, 0 }));

        (x.Sum(0).Sum() + x.Max(1).Sum() + x.Softmax(0).Sum()).Backward();
        Assert.That(x.Grad!.Shape.ToArray(), Is.EqualTo(new[] { 65536, 65536, 0 }));
    }

    [Test]
    public void Reductions_along_a_long_axis_of_an_empty_tensor_do_no_work_per_element_of_that_axis()
    {
        // Softmax along axis 0 of [0, int.MaxValue] had allocated scratch for int.MaxValue elements; Max along axis 0 of
        // [int.MaxValue, 0] walks no axis of int.MaxValue empty rows.
        Tensor wide = Tensor.Zeros([0, int.MaxValue]);
        Tensor tall = Tensor.Zeros([int.MaxValue, 0]);

        Assert.That(wide.Softmax(0).Shape.ToArray(), Is.EqualTo(new[] { 0, int.MaxValue }));
        Assert.That(wide.LogSoftmax(0).Shape.ToArray(), Is.EqualTo(new[] { 0, int.MaxValue }));
        Assert.That(wide.Max(1).Shape.ToArray(), Is.EqualTo(new[] { 0 }));
        Assert.That(tall.Max(0).Shape.ToArray(), Is.EqualTo(new[] { 0 }));
        Assert.That(tall.Max(0, keepDims: true).Shape.ToArray(), Is.EqualTo(new[] { 1, 0 }));
        Assert.That(tall.Sum(0).Shape.ToArray(), Is.EqualTo(new[] { 0 }));
        Assert.That(wide.TakeAlongLastAxis([]).Shape.ToArray(), Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Broadcasting_keeps_a_zero_axis_whatever_the_other_operand_lengths()
    {
        Tensor x = Tensor.Zeros([65536, 1, 0]).RequireGrad();
        Tensor y = Tensor.Ones([1, 65536, 1]).RequireGrad();

        Tensor z = x * y;
        z.Sum().Backward();

        Assert.That(z.Shape.ToArray(), Is.EqualTo(new[] { 65536, 65536, 0 }));
        Assert.That((Tensor.Zeros([0, 1]) + Tensor.Zeros([int.MaxValue, 1, 0])).Shape.ToArray(), Is.EqualTo(new[] { int.MaxValue, 0, 0 }));
        Assert.That(Tensor.Zeros([int.MaxValue, 0]).Subtract(Tensor.Ones([1])).Shape.ToArray(), Is.EqualTo(new[] { int.MaxValue, 0 }));
        Assert.That(Tensor.Ones([1]).BroadcastTo(65536, 65536, 0).Shape.ToArray(), Is.EqualTo(new[] { 65536, 65536, 0 }));
        Assert.That(x.Grad!.Shape.ToArray(), Is.EqualTo(new[] { 65536, 1, 0 }));
        Assert.That(y.Grad!.ToArray<float>(), Is.All.Zero, "a sum over no elements");
    }

    [Test]
    public void Matrix_products_with_a_zero_length_have_the_shapes_PyTorch_gives()
    {
        Tensor tall = Tensor.Zeros([int.MaxValue, 0]);
        Tensor wide = Tensor.Zeros([0, int.MaxValue]);

        Assert.That(tall.MatMul(Tensor.Zeros([0, 0])).Shape.ToArray(), Is.EqualTo(new[] { int.MaxValue, 0 }));
        Assert.That(wide.MatMul(tall).Shape.ToArray(), Is.EqualTo(new[] { 0, 0 }));
        Assert.That(Tensor.Zeros([0]).MatMul(Tensor.Zeros([0, 3])).ToArray<float>(), Is.EqualTo(new float[3]), "a sum over no terms is 0");
        Assert.That(tall.Affine(Tensor.Zeros([0, 0])).Shape.ToArray(), Is.EqualTo(new[] { int.MaxValue, 0 }));
    }

    [Test]
    public void Reshaping_an_empty_tensor_with_long_axes_follows_PyTorch()
    {
        Tensor x = Tensor.Zeros([int.MaxValue, 0]);

        Assert.That(x.Reshape(0, int.MaxValue).Shape.ToArray(), Is.EqualTo(new[] { 0, int.MaxValue }));
        Assert.That(x.Reshape(65536, 0, 65536).Shape.ToArray(), Is.EqualTo(new[] { 65536, 0, 65536 }));
        Assert.That(x.Reshape(-1).Shape.ToArray(), Is.EqualTo(new[] { 0 }));
        Assert.That(() => x.Reshape(0, -1), Throws.ArgumentException.With.Message.Contains("[0, -1]"), "−1 could be any length: ambiguous, as in PyTorch");
    }

    // ---- Results too large for an array ----

    private static readonly (string Op, int[] Left, int[] Right, Func<Tensor, Tensor, Tensor> Apply)[] OverflowingCalls =
    [
        ("Add", [65536, 1], [1, 65536], (x, y) => x + y),
        ("Subtract", [65536, 1], [1, 65536], (x, y) => x - y),
        ("Multiply", [1, 65536], [65536, 1], (x, y) => x.Multiply(y)),
        ("Divide", [65536, 1], [1, 65536], (x, y) => x / y),
        ("Maximum", [65536, 1], [1, 65536], (x, y) => x.Maximum(y)),
        ("Minimum", [65536, 1], [1, 65536], (x, y) => x.Minimum(y)),
        ("Pow", [65536, 1], [1, 65536], (x, y) => x.Pow(y)),
        ("MatMul", [65536, 1], [1, 65536], (x, y) => x.MatMul(y)),
        ("MatMul", [0], [0, int.MaxValue], (x, y) => x.MatMul(y)),
        ("Affine", [65536, 1], [65536, 1], (x, w) => x.Affine(w)),
        ("Sum", [0, int.MaxValue], [], (x, _) => x.Sum(0)),
        ("Mean", [0, int.MaxValue], [], (x, _) => x.Mean(0, keepDims: true)),
        ("BroadcastTo", [1], [], (x, _) => x.BroadcastTo(65536, 65536)),
    ];

    public static IEnumerable<TestCaseData> Overflowing()
        => OverflowingCalls.Select(c => new TestCaseData(c.Op, c.Left, c.Right, c.Apply).SetArgDisplayNames(c.Op, Shapes.Format(c.Left), Shapes.Format(c.Right)));

    [TestCaseSource(nameof(Overflowing))]
    public void A_result_too_large_for_an_array_is_refused_before_anything_is_rented(string op, int[] left, int[] right, Func<Tensor, Tensor, Tensor> apply)
    {
        Tensor x = Tensor.Zeros(left), y = Tensor.Ones(right);
        TensorPoolStatistics before = TensorPool.Statistics;

        string message = Assert.Throws<ArgumentException>(() => apply(x, y))!.Message;

        Assert.That(message, Does.StartWith(op + ":").And.Contain(Shapes.Format(left)).And.Contain("more elements than an array can hold"));
        if (right.Length > 0)
        {
            Assert.That(message, Does.Contain(Shapes.Format(right)), "the message names both operands' shapes");
        }

        Assert.That(TensorPool.Statistics.Rented, Is.EqualTo(before.Rented), "no buffer was rented before the throw");
    }
}
