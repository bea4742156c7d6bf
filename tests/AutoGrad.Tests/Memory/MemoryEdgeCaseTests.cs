using AutoGrad.Optimizers;

namespace AutoGrad.Tests.Memory;

/// <summary>
/// Edge cases of pooled storage and reused working gradients found in review: walks on several threads, a disposed
/// seed, a gradient that is also an operand, disposal from the wrong thread, disposed parameters, the pool's limit.
/// </summary>
[NonParallelizable]
public sealed class MemoryEdgeCaseTests
{
    [Test]
    public void Backward_on_another_thread_after_one_on_this_thread_gives_the_same_gradient()
    {
        Tensor x = Tensor.Create([1.0, 2.0, 3.0]).RequireGrad();
        Tensor loss = (x * 2).Exp().Sum();
        loss.Backward(retainGraph: true);
        double[] here = x.Grad!.ToArray<double>();
        x.ZeroGrad();

        var other = new Thread(() => loss.Backward(retainGraph: true));
        other.Start();
        other.Join();

        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(here));
        Assert.That(here, Is.EqualTo(new[] { 2 * Math.Exp(2), 2 * Math.Exp(4), 2 * Math.Exp(6) }).Within(1e-12).AsCollection);
    }

    [Test]
    public void A_disposed_seed_is_rejected_before_any_gradient_changes()
    {
        Tensor x = Tensor.Create([1f, 2f, 3f, 4f]).RequireGrad();
        Tensor y = x * 2;
        Tensor seed = Tensor.Ones([4]);
        seed.Dispose();
        Tensor.Ones([4]).Dispose(); // a same-length tensor reuses the buffer, so stale values would show

        Assert.That(() => x.Backward(seed), Throws.InstanceOf<ObjectDisposedException>().With.Message.Contains("was disposed"));
        Assert.That(() => y.Backward(seed), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(x.Grad, Is.Null);

        y.Backward(Tensor.Ones([4]));
        Assert.That(x.Grad!.ToArray<float>(), Is.All.EqualTo(2f), "no stale working gradient left by the failed calls");
    }

    [Test]
    public void A_product_with_the_gradient_as_an_operand_accumulates_correctly()
    {
        Tensor x = Tensor.Create(new double[,] { { 1, 2 }, { 3, 4 } }).RequireGrad();
        (x * x).Sum().Backward(); // x.Grad = 2x = [[2, 4], [6, 8]]

        x.MatMul(x.Grad!).Sum().Backward();

        // d/dx Σ(x·G) with G held constant is 1·Gᵀ: row sums of G, [6, 14], in every row; added to 2x.
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 8, 18, 12, 22 }));
    }

    [Test]
    public void A_tensor_owned_by_another_threads_scope_cannot_be_disposed_here()
    {
        Tensor? owned = null;
        using var created = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        var owner = new Thread(() =>
        {
            using TensorScope scope = Tensor.Scope();
            owned = Tensor.Ones([3]);
            created.Set();
            done.Wait();
        });
        owner.Start();
        created.Wait();

        Assert.That(() => owned!.Dispose(), Throws.InvalidOperationException.With.Message.Contains("another thread"));
        Assert.That(owned!.IsDisposed, Is.False);
        done.Set();
        owner.Join();
        Assert.That(owned.IsDisposed, Is.True, "the owning scope still disposed it");
    }

    [Test]
    public void A_step_over_a_disposed_parameter_throws_and_changes_no_parameter()
    {
        Tensor first = Tensor.Create([1f, 1f]).RequireGrad();
        Tensor second = Tensor.Create([1f, 1f]).RequireGrad();
        var sgd = new Sgd([first, second], learningRate: 0.1);
        (first + second).Sum().Backward();
        second.Dispose();

        Assert.That(sgd.Step, Throws.InstanceOf<ObjectDisposedException>().With.Message.Contains("parameter 1"));
        Assert.That(first.ToArray<float>(), Is.All.EqualTo(1f));
        Assert.That(sgd.StepCount, Is.Zero);
    }

    [Test]
    public void With_no_retention_allowed_Backward_keeps_no_working_gradients_either()
    {
        long limitBefore = TensorPool.MaxRetainedBytes;
        try
        {
            TensorPool.Clear();
            TensorPool.MaxRetainedBytes = 0;
            Tensor x = Tensor.Ones([1000]).RequireGrad();
            ((x * 3).Exp() + 1).Sum().Backward();

            Assert.That(TensorPool.Statistics.RetainedBytes, Is.Zero);
        }
        finally
        {
            TensorPool.MaxRetainedBytes = limitBefore;
        }
    }
}
