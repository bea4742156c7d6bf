using System.Numerics.Tensors;

namespace AutoGrad.Tests;

/// <summary>AutoGrad tensors from System.Numerics.Tensors' tensors and spans (copied), and back as a span (not copied).</summary>
public sealed class InteropTests
{
    [Test]
    public void A_numerics_tensor_becomes_an_AutoGrad_tensor_of_its_shape_and_values()
    {
        System.Numerics.Tensors.Tensor<float> source = System.Numerics.Tensors.Tensor.Create([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);

        AutoGrad.Tensor x = AutoGrad.Tensor.Create(source);

        Assert.That(x.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(x.DType, Is.EqualTo(DType.Float32));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f, 6f }));
    }

    [Test]
    public void A_strided_or_broadcast_span_is_copied_in_row_major_order()
    {
        double[] values = [1, 2, 3, 4, 5, 6];
        var transposed = new ReadOnlyTensorSpan<double>(values, [3, 2], [1, 3]); // the transpose of [[1, 2, 3], [4, 5, 6]]
        var broadcast = new ReadOnlyTensorSpan<double>(values.AsSpan(0, 3), [2, 3], [0, 1]); // the row [1, 2, 3], twice

        Assert.That(AutoGrad.Tensor.Create(transposed).ToArray<double>(), Is.EqualTo(new double[] { 1, 4, 2, 5, 3, 6 }));
        Assert.That(AutoGrad.Tensor.Create(broadcast).ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3, 1, 2, 3 }));
    }

    [Test]
    public void The_created_tensor_owns_a_copy_and_differentiates_like_any_leaf()
    {
        float[] values = [1f, -2f, 3f];
        var span = new TensorSpan<float>(values);

        AutoGrad.Tensor x = AutoGrad.Tensor.Create(span).RequireGrad();
        values[0] = 100;
        (x * x).Sum().Backward();

        Assert.That(x.ToArray<float>(), Is.EqualTo(new[] { 1f, -2f, 3f }), "a copy, not a view");
        Assert.That(x.Grad!.ToArray<float>(), Is.EqualTo(new[] { 2f, -4f, 6f }), "d(Σx²)/dx = 2x");
    }

    [Test]
    public void An_AutoGrad_tensor_is_seen_as_a_span_without_a_copy()
    {
        AutoGrad.Tensor x = AutoGrad.Tensor.Create(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });

        ReadOnlyTensorSpan<double> view = x.AsReadOnlyTensorSpan<double>();
        x.AddInPlace(10);

        Assert.That(view.Lengths.ToArray(), Is.EqualTo(new nint[] { 2, 3 }));
        Assert.That(view[1, 2], Is.EqualTo(16), "the span reads the storage, which the update changed");
        Assert.That(System.Numerics.Tensors.Tensor.Sum(view), Is.EqualTo(81));
    }

    [Test]
    public void A_scalar_goes_out_as_a_one_element_vector_and_an_empty_tensor_goes_both_ways()
    {
        AutoGrad.Tensor scalar = AutoGrad.Tensor.Scalar(2.5);
        AutoGrad.Tensor empty = AutoGrad.Tensor.Zeros([0, 3]);

        ReadOnlyTensorSpan<float> scalarView = scalar.AsReadOnlyTensorSpan<float>();
        Assert.That(scalarView.Lengths.ToArray(), Is.EqualTo(new nint[] { 1 }), "System.Numerics.Tensors has no rank 0");
        Assert.That(AutoGrad.Tensor.Create(scalarView).Item(), Is.EqualTo(2.5));
        AutoGrad.Tensor back = AutoGrad.Tensor.Create(empty.AsReadOnlyTensorSpan<float>());
        Assert.That(back.Shape.ToArray(), Is.EqualTo(new[] { 0, 3 }));
    }
}
