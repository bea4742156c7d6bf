using AutoGrad.Optimizers;
using AutoGrad.Tests.Support;

namespace AutoGrad.Tests.Optimizers;

public sealed class SgdTests
{
    [Test]
    public void A_step_moves_each_parameter_against_its_gradient_by_the_learning_rate()
    {
        Tensor w = Tensor.Create(new[] { 1.0, -2.0 }).RequireGrad();
        Tensor b = Tensor.Scalar(0.5, DType.Float64).RequireGrad();
        var sgd = new Sgd([w, b], learningRate: 0.25);

        ((w * w).Sum() + (b * 4)).Backward(); // dw = 2w = [2, −4], db = 4
        sgd.Step();

        TestTensors.AssertClose(w, [1 - (0.25 * 2), -2 + (0.25 * 4)], 0);
        TestTensors.AssertClose(b, [0.5 - (0.25 * 4)], 0);
        Assert.That(w.RequiresGrad && w.IsLeaf, Is.True);
    }

    [Test]
    public void ZeroGrad_clears_every_gradient_and_parameters_without_one_stay()
    {
        Tensor used = Tensor.Ones([2], DType.Float64).RequireGrad();
        Tensor unused = Tensor.Ones([2], DType.Float64).RequireGrad();
        var sgd = new Sgd([used, unused], learningRate: 1);

        (used * 3).Sum().Backward();
        sgd.Step();
        sgd.ZeroGrad();

        TestTensors.AssertClose(used, [-2, -2], 0);
        TestTensors.AssertClose(unused, [1, 1], 0);
        TestTensors.AssertClose(used.Grad!, [0, 0], 0);
        Assert.That(unused.Grad, Is.Null);
    }

    [Test]
    public void Parameters_must_be_leaves_that_require_gradients()
    {
        Tensor leaf = Tensor.Ones([2]).RequireGrad();

        Assert.That(() => new Sgd([Tensor.Ones([2])], 0.1), Throws.ArgumentException.With.Message.Contains("RequiresGrad"));
        Assert.That(() => new Sgd([leaf * 2], 0.1), Throws.ArgumentException.With.Message.Contains("leaf"));
    }

    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void An_invalid_learning_rate_is_rejected(double learningRate)
    {
        Tensor w = Tensor.Ones([2]).RequireGrad();

        Assert.That(() => new Sgd([w], learningRate), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
