using AutoGrad.NN;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// The conventions where AutoGrad knowingly differs from PyTorch (docs/DifferencesFromPyTorch.md), each pinned
/// down so that the documentation cannot drift from the behaviour. PyTorch's values are stated beside ours.
/// </summary>
public sealed class PyTorchDifferenceTests
{
    [Test]
    public void Abs_and_L1_propagate_a_NaN_input_into_the_gradient()
    {
        // PyTorch: abs's backward is dy·sgn(x), and sgn(NaN) = 0, so the gradient at NaN is 0.
        Tensor x = Tensor.Create(new[] { double.NaN, -2.0, 0.0, 3.0 }).RequireGrad();
        x.Abs().Sum().Backward();

        Tensor p = Tensor.Create(new[] { double.NaN, 1.0 }).RequireGrad();
        Losses.L1(p, Tensor.Create(new[] { 0.0, 0.0 }), Reduction.Sum).Backward();

        Assert.Multiple(() =>
        {
            Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { double.NaN, -1, 0, 1 }));
            Assert.That(p.Grad!.ToArray<double>(), Is.EqualTo(new[] { double.NaN, 1 }));
        });
    }

    [Test]
    public void Pow_with_exponent_one_half_follows_IEEE_pow_at_negative_infinity_and_negative_zero()
    {
        // PyTorch computes x^0.5 as sqrt(x): NaN at −∞ and −0 at −0, with gradient −∞ at −0.
        Tensor x = Tensor.Create(new[] { double.NegativeInfinity, -0.0, 4.0 }).RequireGrad();
        Tensor y = x.Pow(0.5);
        y.Sum().Backward();

        double[] values = y.ToArray<double>();
        Assert.Multiple(() =>
        {
            Assert.That(values[0], Is.EqualTo(double.PositiveInfinity));
            Assert.That(double.IsPositive(values[1]) && values[1] == 0, $"(−0)^0.5 = {values[1]}, expected +0");
            Assert.That(values[2], Is.EqualTo(2));
            Assert.That(x.Grad!.ToArray<double>()[1], Is.EqualTo(double.PositiveInfinity), "d/dx x^0.5 at −0: 0.5·(−0)^−0.5 = +∞");
        });
    }

    [Test]
    public void Softplus_stays_exact_above_PyTorchs_threshold_of_20()
    {
        // PyTorch's softplus (threshold 20) returns x itself above 20, and its gradient 1.
        Tensor x = Tensor.Create(new[] { 25.0 }).RequireGrad();
        Tensor y = x.Softplus();
        y.Sum().Backward();

        double expected = 25 + Math.Log(1 + Math.Exp(-25)); // 25 + 1.389e-11
        Assert.Multiple(() =>
        {
            Assert.That(y.Item(), Is.EqualTo(expected).Within(1e-15).Percent);
            Assert.That(y.Item(), Is.Not.EqualTo(25.0));
            Assert.That(x.Grad!.Item(), Is.EqualTo(1 / (1 + Math.Exp(-25))).Within(1e-15).Percent);
            Assert.That(x.Grad!.Item(), Is.LessThan(1.0));
        });
    }
}
