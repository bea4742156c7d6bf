namespace AutoGrad.Optimizers;

/// <summary>
/// Changes an optimizer's learning rate as training goes on (PyTorch's <c>lr_scheduler</c>): call <see cref="Step"/>
/// once per epoch, after the optimizer's steps, and the rate for the next epoch is set from
/// <see cref="LearningRateAt"/>.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Attaches to <paramref name="optimizer"/>, whose current learning rate becomes the base rate.</summary>
    protected LearningRateSchedule(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate at epoch 0: the optimizer's when the schedule was made.</summary>
    public double BaseLearningRate { get; }

    /// <summary>How many times <see cref="Step"/> has been called.</summary>
    public int Epoch { get; private set; }

    /// <summary>Advances one epoch and sets the optimizer's learning rate for it.</summary>
    public void Step()
    {
        Optimizer.LearningRate = LearningRateAt(Epoch + 1);
        Epoch++;
    }

    /// <summary>The learning rate at <paramref name="epoch"/> (0 gives <see cref="BaseLearningRate"/>), in closed form.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    public abstract double LearningRateAt(int epoch);

    /// <summary>Returns <paramref name="epoch"/>, after checking that it is not negative: for <see cref="LearningRateAt"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    protected int CheckEpoch(int epoch) => epoch >= 0
        ? epoch
        : throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"{GetType().Name}.LearningRateAt: epoch {epoch} is negative; epochs count from 0.");
}
