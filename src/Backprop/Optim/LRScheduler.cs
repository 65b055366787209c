namespace Backprop.Optim;

/// <summary>Changes an optimizer's learning rate once per epoch: call <see cref="Step"/> after each epoch, as in PyTorch.</summary>
public abstract class LRScheduler(Optimizer optimizer)
{
    /// <summary>The optimizer whose learning rate is set.</summary>
    public Optimizer Optimizer { get; } = optimizer;

    /// <summary>Epochs completed so far.</summary>
    public int Epoch { get; private set; }

    /// <summary>Ends an epoch and sets the learning rate for the next.</summary>
    public void Step()
    {
        Epoch++;
        Optimizer.LearningRate = LearningRateAt(Epoch);
    }

    /// <summary>The learning rate for epoch <paramref name="epoch"/> (0 is the first).</summary>
    public abstract double LearningRateAt(int epoch);
}
