namespace AutoGrad.Tests;

/// <summary>
/// <see cref="Tensor.ToString"/> against strings written out by hand from PyTorch's printing rules
/// (torch/_tensor_str.py: precision 4, threshold 1000, 3 edge items), plus this library's shape and dtype suffix.
/// </summary>
public sealed class FormattingTests
{
    // ---- Integral values ----

    [Test]
    public void A_vector_of_whole_numbers_prints_them_with_a_trailing_point()
    {
        Assert.That(
            Tensor.Create(new float[] { 1, 2, 3 }).ToString(),
            Is.EqualTo("tensor([1., 2., 3.], shape=[3], dtype=float32)"));
    }

    [Test]
    public void Whole_numbers_of_different_widths_are_right_aligned()
    {
        Assert.That(
            Tensor.Create(new float[] { -1, 2, 30 }).ToString(),
            Is.EqualTo("tensor([-1.,  2., 30.], shape=[3], dtype=float32)"));
    }

    [Test]
    public void A_tensor_of_zeros_prints_zero_with_a_trailing_point()
    {
        Assert.That(
            Tensor.Zeros([3], DType.Float64).ToString(),
            Is.EqualTo("tensor([0., 0., 0.], shape=[3], dtype=float64)"));
    }

    [Test]
    public void A_matrix_prints_one_row_per_line_aligned_under_the_first_bracket()
    {
        Assert.That(
            Tensor.Create(new float[,] { { 1, 2 }, { 3, 4 } }).ToString(),
            Is.EqualTo("tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=float32)"));
    }

    [Test]
    public void A_three_dimensional_tensor_separates_its_matrices_with_a_blank_line()
    {
        Tensor t = Tensor.Create(new float[] { 0, 1, 2, 3, 4, 5, 6, 7 }, [2, 2, 2]);

        Assert.That(
            t.ToString(),
            Is.EqualTo(
                "tensor([[[0., 1.],\n"
                + "         [2., 3.]],\n"
                + "\n"
                + "        [[4., 5.],\n"
                + "         [6., 7.]]], shape=[2, 2, 2], dtype=float32)"));
    }

    // ---- Non-integral values ----

    [Test]
    public void Non_integers_print_with_four_decimals_right_aligned_to_a_common_width()
    {
        Assert.That(
            Tensor.Create(new float[] { 1.5f, -2.25f, 10 }).ToString(),
            Is.EqualTo("tensor([ 1.5000, -2.2500, 10.0000], shape=[3], dtype=float32)"));
    }

    [Test]
    public void A_matrix_of_non_integers_aligns_every_column_to_the_widest_entry()
    {
        Assert.That(
            Tensor.Create(new double[,] { { 1.5, -20.25 }, { 3, 4.125 } }).ToString(),
            Is.EqualTo("tensor([[  1.5000, -20.2500],\n        [  3.0000,   4.1250]], shape=[2, 2], dtype=float64)"));
    }

    [Test]
    public void Float32_values_print_rounded_to_four_decimals()
    {
        Assert.That(
            Tensor.Create(new float[] { 0.1f, 0.2f, 0.99996f }).ToString(),
            Is.EqualTo("tensor([0.1000, 0.2000, 1.0000], shape=[3], dtype=float32)"));
    }

    [Test]
    [SetCulture("de-DE")]
    public void Numbers_print_with_a_decimal_point_whatever_the_current_culture()
    {
        Assert.That(
            Tensor.Create(new double[] { 1.5, 2 }).ToString(),
            Is.EqualTo("tensor([1.5000, 2.0000], shape=[2], dtype=float64)"));
    }

    // ---- Scientific notation ----

    [Test]
    public void A_very_large_whole_number_prints_in_scientific_notation()
    {
        Assert.That(
            Tensor.Create(new double[] { 1e9 }).ToString(),
            Is.EqualTo("tensor([1.0000e+09], shape=[1], dtype=float64)"));
    }

    [Test]
    public void A_large_magnitude_among_non_integers_switches_every_entry_to_scientific_notation()
    {
        Assert.That(
            Tensor.Create(new double[] { 1.5e9, -2.5 }).ToString(),
            Is.EqualTo("tensor([ 1.5000e+09, -2.5000e+00], shape=[2], dtype=float64)"));
    }

    [Test]
    public void A_magnitude_below_one_ten_thousandth_switches_to_scientific_notation()
    {
        Assert.That(
            Tensor.Create(new double[] { 1e-5, 0.5 }).ToString(),
            Is.EqualTo("tensor([1.0000e-05, 5.0000e-01], shape=[2], dtype=float64)"));
    }

    [Test]
    public void Zero_prints_in_scientific_notation_when_the_other_entries_do()
    {
        Assert.That(
            Tensor.Create(new double[] { 0, 1e-5 }).ToString(),
            Is.EqualTo("tensor([0.0000e+00, 1.0000e-05], shape=[2], dtype=float64)"));
    }

    [Test]
    public void Non_integers_spanning_more_than_three_orders_of_magnitude_print_in_scientific_notation()
    {
        Assert.That(
            Tensor.Create(new double[] { 0.5, 1000.5 }).ToString(),
            Is.EqualTo("tensor([5.0000e-01, 1.0005e+03], shape=[2], dtype=float64)"));
    }

    [Test]
    public void Whole_numbers_spanning_more_than_three_orders_of_magnitude_print_in_scientific_notation_like_PyTorch()
    {
        // PyTorch's int mode also switches to scientific notation when max / min > 1000 (torch/_tensor_str.py).
        Assert.That(
            Tensor.Create(new double[] { 1, 10000 }).ToString(),
            Is.EqualTo("tensor([1.0000e+00, 1.0000e+04], shape=[2], dtype=float64)"));
    }

    [Test]
    public void The_whole_number_one_hundred_million_prints_as_a_whole_number_like_PyTorch()
    {
        // PyTorch's int mode switches to scientific notation only above 1e8; a whole number never gets four decimals.
        Assert.That(
            Tensor.Create(new double[] { 1e8 }).ToString(),
            Is.EqualTo("tensor([100000000.], shape=[1], dtype=float64)"));
    }

    // ---- Special values ----

    [Test]
    public void NaN_and_infinities_print_as_nan_inf_and_minus_inf_padded_to_the_common_width()
    {
        Assert.That(
            Tensor.Create(new double[] { 1.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity }).ToString(),
            Is.EqualTo("tensor([1.5000,    nan,    inf,   -inf], shape=[4], dtype=float64)"));
    }

    [Test]
    public void A_tensor_holding_only_nan_prints_nan()
    {
        Assert.That(
            Tensor.Create(new float[] { float.NaN }).ToString(),
            Is.EqualTo("tensor([nan], shape=[1], dtype=float32)"));
    }

    // ---- Scalars, empty tensors, suffixes ----

    [Test]
    public void A_scalar_prints_its_value_without_brackets()
    {
        Assert.That(Tensor.Scalar(3.5, DType.Float64).ToString(), Is.EqualTo("tensor(3.5000, shape=[], dtype=float64)"));
        Assert.That(Tensor.Scalar(2).ToString(), Is.EqualTo("tensor(2., shape=[], dtype=float32)"));
    }

    [Test]
    public void An_empty_vector_prints_empty_brackets()
    {
        Assert.That(Tensor.Zeros([0]).ToString(), Is.EqualTo("tensor([], shape=[0], dtype=float32)"));
    }

    [Test]
    public void A_tensor_that_requires_a_gradient_says_so_at_the_end()
    {
        Tensor t = Tensor.Create(new float[] { 1, 2 }).RequireGrad();

        Assert.That(t.ToString(), Is.EqualTo("tensor([1., 2.], shape=[2], dtype=float32, requiresGrad=true)"));
    }

    [Test]
    public void A_tensor_that_requires_no_gradient_does_not_mention_it()
    {
        Assert.That(Tensor.Create(new float[] { 1, 2 }).ToString(), Does.Not.Contain("requiresGrad"));
    }

    // ---- Summarization ----

    [Test]
    public void A_tensor_of_exactly_one_thousand_elements_prints_every_element()
    {
        string text = Tensor.Arange(1000).ToString();

        Assert.That(text, Does.Not.Contain("..."));
        Assert.That(text, Does.StartWith("tensor([  0.,   1.,   2.,   3.,"));
        Assert.That(text, Does.Contain(" 499., 500., 501.,"));
        Assert.That(text, Does.EndWith(" 998., 999.], shape=[1000], dtype=float32)"));
        Assert.That(text.Split(", ").Length, Is.EqualTo(1000 + 2));
    }

    [Test]
    public void A_long_vector_shows_its_first_and_last_three_entries_around_an_ellipsis()
    {
        Assert.That(
            Tensor.Arange(1001).ToString(),
            Is.EqualTo("tensor([   0.,    1.,    2., ...,  998.,  999., 1000.], shape=[1001], dtype=float32)"));
    }

    [Test]
    public void A_large_matrix_elides_both_long_axes()
    {
        Tensor t = Tensor.Arange(100, 1110).Reshape(101, 10);

        Assert.That(
            t.ToString(),
            Is.EqualTo(
                "tensor([[ 100.,  101.,  102., ...,  107.,  108.,  109.],\n"
                + "        [ 110.,  111.,  112., ...,  117.,  118.,  119.],\n"
                + "        [ 120.,  121.,  122., ...,  127.,  128.,  129.],\n"
                + "        ...,\n"
                + "        [1080., 1081., 1082., ..., 1087., 1088., 1089.],\n"
                + "        [1090., 1091., 1092., ..., 1097., 1098., 1099.],\n"
                + "        [1100., 1101., 1102., ..., 1107., 1108., 1109.]], shape=[101, 10], dtype=float32)"));
    }

    [Test]
    public void A_large_matrix_elides_only_its_long_axis()
    {
        Tensor t = Tensor.Arange(100, 2102).Reshape(1001, 2);

        Assert.That(
            t.ToString(),
            Is.EqualTo(
                "tensor([[ 100.,  101.],\n"
                + "        [ 102.,  103.],\n"
                + "        [ 104.,  105.],\n"
                + "        ...,\n"
                + "        [2096., 2097.],\n"
                + "        [2098., 2099.],\n"
                + "        [2100., 2101.]], shape=[1001, 2], dtype=float32)"));
    }

    [Test]
    public void The_number_style_of_a_summarized_tensor_depends_only_on_the_entries_shown()
    {
        // The hidden middle entries hold 0.5, which would force four decimals if it were taken into account.
        double[] values = [.. Enumerable.Range(0, 2000).Select(i => i is < 3 or >= 1997 ? 7.0 : 0.5)];

        Assert.That(
            Tensor.Create(values).ToString(),
            Is.EqualTo("tensor([7., 7., 7., ..., 7., 7., 7.], shape=[2000], dtype=float64)"));
    }

    [Test]
    public void A_summarized_tensor_elides_its_long_outer_axes_around_whole_blocks()
    {
        Tensor t = Tensor.Arange(100, 1200).Reshape(11, 1, 100);

        Assert.That(
            t.ToString(),
            Is.EqualTo(
                "tensor([[[ 100.,  101.,  102., ...,  197.,  198.,  199.]],\n"
                + "\n"
                + "        [[ 200.,  201.,  202., ...,  297.,  298.,  299.]],\n"
                + "\n"
                + "        [[ 300.,  301.,  302., ...,  397.,  398.,  399.]],\n"
                + "\n"
                + "        ...,\n"
                + "\n"
                + "        [[ 900.,  901.,  902., ...,  997.,  998.,  999.]],\n"
                + "\n"
                + "        [[1000., 1001., 1002., ..., 1097., 1098., 1099.]],\n"
                + "\n"
                + "        [[1100., 1101., 1102., ..., 1197., 1198., 1199.]]], shape=[11, 1, 100], dtype=float32)"));
    }

    // ---- Extreme shapes ----

    [Test]
    public void A_tensor_of_rank_one_hundred_thousand_prints_every_bracket()
    {
        // The old recursion, one frame per axis, overflowed the stack from a rank of about 31,000 and took time quadratic in the rank.
        const int Rank = 100_000;
        int[] shape = [.. Enumerable.Repeat(1, Rank)];

        string text = Tensor.Ones(shape).ToString();

        Assert.That(text, Is.EqualTo($"tensor({new string('[', Rank)}1.{new string(']', Rank)}, shape={Shapes.Format(shape)}, dtype=float32)"));
    }

    [TestCase(int.MaxValue, 0)]
    [TestCase(0, int.MaxValue)]
    [TestCase(65536, 65536, 0)]
    public void An_empty_tensor_with_long_axes_prints_empty_brackets(params int[] shape)
    {
        Assert.That(Tensor.Zeros(shape).ToString(), Is.EqualTo($"tensor([], shape={Shapes.Format(shape)}, dtype=float32)"));
    }
}
