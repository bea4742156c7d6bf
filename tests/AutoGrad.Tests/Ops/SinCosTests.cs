namespace AutoGrad.Tests.Ops;

/// <summary>
/// Sin and Cos beyond the shared tables: arguments of many periods against System.Math, the gradient of each equal to
/// the other's forward result, and the scratch tensor their backward rules compute into, rented from the pool and
/// given back.
/// </summary>
public sealed class SinCosTests
{
    /// <summary>
    /// Absolute bounds: |sin| and |cos| are at most 1, so a result within a couple of ulps of 1 (6e-8 in float32, 1.1e-16 in
    /// float64) is within these of the exact value of the float input, whatever the argument's magnitude.
    /// </summary>
    [TestCase(DType.Float32, 1e-6)]
    [TestCase(DType.Float64, 1e-14)]
    public void Arguments_of_many_periods_agree_with_System_Math(DType dtype, double tolerance)
    {
        Tensor x = Tensor.RandomUniform([4099], new RandomSource(11), -1e4, 1e4, dtype);
        double[] values = x.ToDType(DType.Float64).ToArray<double>();

        double[] sin = x.Sin().ToDType(DType.Float64).ToArray<double>();
        double[] cos = x.Cos().ToDType(DType.Float64).ToArray<double>();

        Assert.Multiple(() =>
        {
            for (int i = 0; i < values.Length; i++)
            {
                Assert.That(sin[i], Is.EqualTo(Math.Sin(values[i])).Within(tolerance), $"sin of {values[i]:R}");
                Assert.That(cos[i], Is.EqualTo(Math.Cos(values[i])).Within(tolerance), $"cos of {values[i]:R}");
            }
        });
    }

    /// <remarks>
    /// With a seed of ones and a gradient starting at 0, the fused multiply-add <c>0 + 1·cos x</c> is exact, so the
    /// backward rule of Sin gives the very values of <see cref="Tensor.Cos"/>, and that of Cos the negated values of
    /// <see cref="Tensor.Sin"/>.
    /// </remarks>
    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void The_gradient_of_sin_is_Cos_and_that_of_cos_is_minus_Sin_value_for_value(DType dtype)
    {
        Tensor x = Tensor.RandomUniform([1000], new RandomSource(3), -10, 10, dtype).RequireGrad();
        Tensor sin = x.Sin();
        sin.Backward(Tensor.OnesLike(sin));
        double[] sinGradient = x.Grad!.ToDType(DType.Float64).ToArray<double>();
        x.ZeroGrad();
        Tensor cos = x.Cos();
        cos.Backward(Tensor.OnesLike(cos));
        double[] cosGradient = x.Grad!.ToDType(DType.Float64).ToArray<double>();

        Assert.Multiple(() =>
        {
            Assert.That(sinGradient, Is.EqualTo(x.Detach().Cos().ToDType(DType.Float64).ToArray<double>()));
            Assert.That(cosGradient, Is.EqualTo(x.Detach().Sin().Negate().ToDType(DType.Float64).ToArray<double>()));
        });
    }

    [Test]
    public void Once_warm_a_backward_through_Sin_and_Cos_allocates_no_tensor_memory_and_returns_all_it_rents()
    {
        Tensor p = Tensor.RandomNormal([3, 70], new RandomSource(5)).RequireGrad();
        void Step()
        {
            using TensorScope scope = Tensor.Scope();
            p.Sin().Cos().Sum().Backward();
            p.ZeroGrad();
        }

        Step();
        Step();
        TensorPoolStatistics before = TensorPool.Statistics;
        for (int step = 0; step < 5; step++)
        {
            Step();
        }

        TensorPoolStatistics after = TensorPool.Statistics;
        Assert.Multiple(() =>
        {
            Assert.That(after.Allocated, Is.EqualTo(before.Allocated));
            Assert.That(after.AllocatedBytes, Is.EqualTo(before.AllocatedBytes));
            Assert.That(after.Rented - before.Rented, Is.GreaterThanOrEqualTo(5 * 3), "the steps do rent their tensors from the pool");
            Assert.That(after.Returned - before.Returned, Is.EqualTo(after.Rented - before.Rented));
        });
    }
}
