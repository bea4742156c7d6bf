
namespace AutoGrad.Optimizers;

/// <summary>
/// The base of the optimizers: holds the parameters and the learning rate, and makes each <see cref="Step"/> all or
/// nothing: every gradient is checked before any parameter or optimizer state changes.
/// </summary>
/// <remarks>
/// Updates run in place on the parameters' storage with vectorized kernels, inside <see cref="Tensor.NoGrad"/>, so
/// they are never recorded. A parameter whose <see cref="Tensor.Grad"/> is null is left alone, as in PyTorch. A zeroed
/// gradient is a gradient: momentum and weight decay still move that parameter, as in PyTorch 1.x; call
/// <c>ZeroGrad(setToNone: true)</c> (PyTorch 2's default) to leave alone a parameter that takes no part in the next loss.
/// </remarks>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;

    /// <summary>Takes the parameters to update: distinct leaf tensors that require gradients.</summary>
    /// <exception cref="ArgumentException">The list is empty; a parameter is null, not a leaf requiring a gradient, or given twice; or the learning rate is invalid.</exception>
    /// <exception cref="ObjectDisposedException">A parameter was disposed.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        if (_parameters.Length == 0)
        {
            throw new ArgumentException($"{Name}: the parameter list is empty, so there is nothing to optimize.", nameof(parameters));
        }

        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor p = _parameters[i] ?? throw new ArgumentException($"{Name}: parameter {i} is null.", nameof(parameters));
            if (!p.IsLeaf || !p.RequiresGrad)
            {
                throw new ArgumentException(
                    $"{Name}: parameter {i} (shape {Shapes.Format(p.Shape)}) must be a leaf with RequiresGrad set.", nameof(parameters));
            }

            if (p.IsDisposed)
            {
                throw TensorGuard.Disposed(p, Name, $"parameter {i}");
            }

            if (!seen.Add(p))
            {
                throw new ArgumentException($"{Name}: parameter {i} (shape {Shapes.Format(p.Shape)}) appears twice.", nameof(parameters));
            }
        }

        CheckSetting(learningRate, double.IsFinite(learningRate) && learningRate >= 0, "finite and non-negative", nameof(learningRate));
        LearningRate = learningRate;
    }

    /// <summary>The step size η; schedules (<see cref="LearningRateSchedule"/>) change it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double LearningRate
    {
        get;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"{Name}: the learning rate must be finite and non-negative.");
            }

            field = value;
        }
    }

    /// <summary>What <see cref="Step"/> does when a gradient holds NaN or ±∞; <see cref="NonFiniteGradientPolicy.Throw"/> by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined policy.</exception>
    public NonFiniteGradientPolicy NonFiniteGradients
    {
        get;
        set
        {
            if (value is not (NonFiniteGradientPolicy.Throw or NonFiniteGradientPolicy.Skip))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"{Name}: {(int)value} is not a NonFiniteGradientPolicy; use Throw or Skip.");
            }

            field = value;
        }
    } = NonFiniteGradientPolicy.Throw;

    /// <summary>How many steps updated the parameters.</summary>
    public int StepCount { get; private set; }

    /// <summary>How many steps were skipped for a non-finite gradient under <see cref="NonFiniteGradientPolicy.Skip"/>.</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>The parameters this optimizer updates, in the order given.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The optimizer's name in messages.</summary>
    protected string Name => GetType().Name;

    /// <summary>
    /// Updates every parameter that has a gradient, by the optimizer's rule. If any gradient holds NaN or ±∞, nothing
    /// changes, neither parameters nor optimizer state, and the step either throws or is skipped (<see cref="NonFiniteGradients"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A gradient is not finite and the policy is <see cref="NonFiniteGradientPolicy.Throw"/>.</exception>
    /// <exception cref="ObjectDisposedException">A parameter or its gradient was disposed (nothing changes).</exception>
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].IsDisposed)
            {
                throw TensorGuard.Disposed(_parameters[i], $"{Name}.Step", $"parameter {i}");
            }

            if (_parameters[i].Grad is { IsDisposed: true } disposedGrad)
            {
                throw TensorGuard.Disposed(disposedGrad, $"{Name}.Step", $"the gradient of parameter {i}");
            }

            if (_parameters[i].Grad is { } grad && !grad.AllFinite())
            {
                if (NonFiniteGradients == NonFiniteGradientPolicy.Skip)
                {
                    SkippedSteps++;
                    return;
                }

                throw new InvalidOperationException(
                    $"{Name}.Step: the gradient of parameter {i} (shape {Shapes.Format(_parameters[i].Shape)}) holds NaN or infinity; "
                    + "no parameter was changed. Lower the learning rate, check the loss for overflow, or set NonFiniteGradients "
                    + "to Skip to drop such steps.");
            }
        }

        using (Tensor.NoGrad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                if (_parameters[i].Grad is { } grad)
                {
                    Update(i, _parameters[i], grad);
                }
            }
        }

        StepCount++;
    }

    /// <summary>Sets every parameter's gradient to zero, or drops it (<see cref="Tensor.ZeroGrad"/>), ready for the next <see cref="Tensor.Backward"/>.</summary>
    /// <param name="setToNone">Drop the gradients instead of zeroing them, so that a parameter that takes no part in the next loss is left alone.</param>
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (Tensor p in _parameters)
        {
            p.ZeroGrad(setToNone);
        }
    }

    /// <summary>Applies the rule to parameter <paramref name="index"/>, in place; called inside <see cref="Tensor.NoGrad"/> with a finite gradient.</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting and what it must be, unless <paramref name="valid"/>.</summary>
    protected void CheckSetting(double value, bool valid, string requirement, string name)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{Name}: {name} must be {requirement}.");
        }
    }

    /// <summary>
    /// A new zero tensor of <paramref name="like"/>'s shape and type, for optimizer state: owned by no
    /// <see cref="TensorScope"/>, since it lives as long as the optimizer even when the first step runs inside one.
    /// </summary>
    protected static Tensor NewState(Tensor like) => Tensor.ZerosLike(like).DetachFromScope();
}
