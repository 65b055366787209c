using Backprop.Explain;

namespace Backprop.Tests.Explain;

/// <summary>The article's worked example, number by number: a = i·w, i = 1.5, y = 0.5, w₀ = 0.8, r = 0.1.</summary>
public class ArticleExampleTests
{
    [Fact]
    public void FirstStepHasTheArticlesNumbers()
    {
        var first = new ArticleExample().Steps().First();
        Assert.Equal(0.8, first.Weight);
        Assert.Equal(1.2, first.Output, 12);          // a = i·w = 1.5 · 0.8
        Assert.Equal(0.49, first.Cost, 12);           // C = (a − y)² = 0.7²
        Assert.Equal(1.4, first.CostByOutput, 12);    // dC/da = 2(a − y)
        Assert.Equal(1.5, first.OutputByWeight, 12);  // da/dw = i
        Assert.Equal(2.1, first.CostByWeight, 12);    // dC/dw = dC/da · da/dw
        Assert.Equal(0.59, first.NextWeight, 12);     // w₁ = 0.8 − 0.1 · 2.1
    }

    [Fact]
    public void WeightsFollowTheArticleToOneThird()
    {
        var weights = new ArticleExample().Steps().Take(60).Select(s => s.NextWeight).ToArray();
        Assert.Equal(0.59, weights[0], 12);
        Assert.Equal(0.4745, weights[1], 12);
        Assert.Equal(0.410975, weights[2], 12);
        Assert.Equal(1.0 / 3, weights[^1], 12);
    }

    [Fact]
    public void ChainRuleHoldsAtEveryStep()
    {
        foreach (var step in new ArticleExample(weight: -2, input: 0.7, target: 3, learningRate: 0.3).Steps().Take(20))
        {
            Assert.Equal(step.CostByOutput * step.OutputByWeight, step.CostByWeight, 12);
            Assert.Equal(step.Weight - 0.3 * step.CostByWeight, step.NextWeight, 12);
        }
    }

    [Fact]
    public void LearningRateOneDiverges()
    {
        var costs = new ArticleExample(learningRate: 1).Steps().Take(10).Select(s => s.Cost).ToArray();
        for (int i = 1; i < costs.Length; i++) Assert.True(costs[i] > costs[i - 1]);
    }

    [Fact]
    public void MinimumIsWhereTheOutputEqualsTheTarget() =>
        Assert.Equal(1.0 / 3, new ArticleExample().MinimumWeight, 15);
}
