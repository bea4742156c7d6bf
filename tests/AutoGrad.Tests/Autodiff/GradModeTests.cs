using System.Runtime.ExceptionServices;

namespace AutoGrad.Tests.Autodiff;

/// <summary>
/// <see cref="Tensor.NoGrad"/> and <see cref="Tensor.EnableGrad"/> scopes disposed out of order, twice, or on another
/// thread: they follow <see cref="TensorScope"/>'s rules. Each test runs on a thread of its own, so that a failure cannot
/// leave recording off for the tests that follow on the runner's thread.
/// </summary>
public sealed class GradModeTests
{
    [Test]
    public void Disposing_an_outer_scope_ends_the_inner_ones_and_restores_the_setting_it_found()
    {
        bool[] enabled = OnANewThread(() =>
        {
            GradModeScope outer = Tensor.NoGrad();
            GradModeScope inner = Tensor.EnableGrad();
            outer.Dispose();
            bool afterOuter = Tensor.IsGradEnabled;
            inner.Dispose();
            return new[] { afterOuter, Tensor.IsGradEnabled };
        });

        Assert.That(enabled, Is.EqualTo(new[] { true, true }), "after the outer scope, and after the inner one it ended");
    }

    [Test]
    public void Disposing_a_middle_scope_ends_the_inner_one_and_leaves_the_outer_one_in_force()
    {
        bool[] enabled = OnANewThread(() =>
        {
            GradModeScope outer = Tensor.NoGrad();
            GradModeScope middle = Tensor.EnableGrad();
            GradModeScope inner = Tensor.NoGrad();
            middle.Dispose();
            bool afterMiddle = Tensor.IsGradEnabled;
            inner.Dispose();
            bool afterInner = Tensor.IsGradEnabled;
            outer.Dispose();
            return new[] { afterMiddle, afterInner, Tensor.IsGradEnabled };
        });

        Assert.That(enabled, Is.EqualTo(new[] { false, false, true }));
    }

    [Test]
    public void Disposing_a_scope_twice_does_nothing_the_second_time_even_when_a_new_scope_has_taken_its_place()
    {
        bool[] enabled = OnANewThread(() =>
        {
            GradModeScope first = Tensor.NoGrad();
            first.Dispose();
            GradModeScope second = Tensor.NoGrad();
            first.Dispose();
            bool afterStale = Tensor.IsGradEnabled;
            second.Dispose();
            return new[] { afterStale, Tensor.IsGradEnabled };
        });

        Assert.That(enabled, Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void The_default_scope_does_nothing()
    {
        bool enabled = OnANewThread(() =>
        {
            using GradModeScope scope = Tensor.NoGrad();
            default(GradModeScope).Dispose();
            return Tensor.IsGradEnabled;
        });

        Assert.That(enabled, Is.False);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Disposing_a_scope_on_another_thread_is_refused_and_the_scope_stays_in_force(bool enableGrad)
    {
        (Exception? error, bool inForce, bool afterwards) = OnANewThread(() =>
        {
            GradModeScope outer = Tensor.NoGrad();
            GradModeScope scope = enableGrad ? Tensor.EnableGrad() : Tensor.NoGrad();
            Exception? error = null;
            var other = new Thread(() =>
            {
                try
                {
                    scope.Dispose();
                }
                catch (InvalidOperationException e)
                {
                    error = e;
                }
            });
            other.Start();
            other.Join();
            bool inForce = Tensor.IsGradEnabled == enableGrad;
            scope.Dispose();
            bool afterwards = Tensor.IsGradEnabled;
            outer.Dispose();
            return (error, inForce, afterwards);
        });

        string name = enableGrad ? "EnableGrad" : "NoGrad";
        Assert.That(error, Is.TypeOf<InvalidOperationException>().With.Message.Contain(name).And.Message.Contain("thread that began it"));
        Assert.That(inForce, Is.True, "the scope is still in force on its own thread");
        Assert.That(afterwards, Is.False, "disposed on its own thread, it restores the outer setting");
    }

    private static T OnANewThread<T>(Func<T> body)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }
}
