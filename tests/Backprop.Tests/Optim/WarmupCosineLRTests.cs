using Backprop.Optim;

namespace Backprop.Tests.Optim;

/// <summary>
/// nanoGPT's get_lr with learning_rate 1, min_lr 0.1, warmup_iters 4, lr_decay_iters 10, worked by hand: warm-up
/// (s + 1)/5 for s = 0…3; at s = 4 the cosine starts at 1; at s = 7 it is half-way, 0.1 + 0.9·(1 + cos(π/2))/2 = 0.55;
/// at s = 10 it is 0.1 + 0.9·(1 + cos π)/2 = 0.1, and stays there.
/// </summary>
public class WarmupCosineLRTests
{
    [Fact]
    public void FollowsNanoGptsGetLrAcrossItsBoundaries()
    {
        var sgd = new Sgd([], 1.0);
        var schedule = new WarmupCosineLR(sgd, warmupSteps: 4, decaySteps: 10, minLearningRate: 0.1);
        Assert.Equal(0.2, sgd.LearningRate, 15); // the first iteration already warms up
        double[] expected = [0.2, 0.4, 0.6, 0.8, 1.0, 0.1 + 0.45 * (1 + Math.Cos(Math.PI / 6)), 0.1 + 0.45 * (1 + Math.Cos(Math.PI / 3)), 0.55,
            0.1 + 0.45 * (1 + Math.Cos(2 * Math.PI / 3)), 0.1 + 0.45 * (1 + Math.Cos(5 * Math.PI / 6)), 0.1, 0.1, 0.1];
        for (int s = 0; s < expected.Length; s++)
        {
            Assert.Equal(expected[s], sgd.LearningRate, 15);
            Assert.Equal(expected[s], schedule.LearningRateAt(s), 15);
            schedule.Step();
        }
    }

    [Fact]
    public void WithoutWarmUpStartsAtTheFullRate()
    {
        var sgd = new Sgd([], 0.5);
        var schedule = new WarmupCosineLR(sgd, warmupSteps: 0, decaySteps: 2);
        Assert.Equal([0.5, 0.25, 0.0, 0.0], [.. Enumerable.Range(0, 4).Select(s => Math.Round(schedule.LearningRateAt(s), 15))]);
        Assert.Equal(0.5, sgd.LearningRate);
    }

    [Fact]
    public void RejectsStepsThatLeaveNoDecay()
    {
        var sgd = new Sgd([], 0.5);
        Assert.Equal("warmupcosinelr: decay steps must be more than the 4 warm-up steps, got 4",
            Assert.Throws<ArgumentException>(() => new WarmupCosineLR(sgd, 4, 4)).Message);
        Assert.Equal("warmupcosinelr: warm-up steps must be zero or more, got -1",
            Assert.Throws<ArgumentException>(() => new WarmupCosineLR(sgd, -1, 4)).Message);
        Assert.Equal("warmupcosinelr: minimum learning rate must be zero or positive, got -0.1",
            Assert.Throws<ArgumentException>(() => new WarmupCosineLR(sgd, 1, 4, -0.1)).Message);
    }
}
