using Backprop.Explain;

namespace Backprop.Playground.Descent;

/// <summary>
/// The article's example as the page steps through it, every number from the engine. <see cref="ArticleExample.Steps"/>
/// is lazy, so the step at the current weight (its C and dC/dw) is computed as soon as w is reached, before the user
/// takes it: that is what the page shows as the current C and dC/dw.
/// </summary>
public sealed class DescentRun
{
    /// <summary>Closer to w* than this counts as converged (the distance <c>backprop demo</c> uses for |Δw|).</summary>
    public const double ConvergedBelow = 1e-6;

    private const double SameDistance = 1e-9;

    private readonly IEnumerator<ArticleStep> engine;
    private readonly List<ArticleStep> taken = [];

    public DescentRun(ArticleExample example)
    {
        Example = example;
        engine = example.Steps().GetEnumerator();
        engine.MoveNext();
        Next = engine.Current;
    }

    public ArticleExample Example { get; }

    /// <summary>The steps taken so far, oldest first.</summary>
    public IReadOnlyList<ArticleStep> Taken => taken;

    /// <summary>The engine's step at the current weight, not yet taken: its Weight is the current w.</summary>
    public ArticleStep Next { get; private set; }

    public ArticleStep? Last => taken.Count > 0 ? taken[^1] : null;

    /// <summary>True once C, dC/dw or the next w is infinite or NaN: the run stops there rather than step into NaN.</summary>
    public bool Overflowed =>
        !(double.IsFinite(Next.Cost) && double.IsFinite(Next.CostByWeight) && double.IsFinite(Next.NextWeight));

    /// <summary>Takes up to <paramref name="count"/> steps, fewer if a number overflows; returns how many it took.</summary>
    public int Take(int count)
    {
        int done = 0;
        for (; done < count && !Overflowed; done++)
        {
            taken.Add(Next);
            engine.MoveNext();
            Next = engine.Current;
        }
        return done;
    }

    /// <summary>How the last step moved w relative to the minimum w* = y/i.</summary>
    public Trend Trend
    {
        get
        {
            if (Last is not { } last) return Trend.None;
            double minimum = Example.MinimumWeight;
            double before = Math.Abs(last.Weight - minimum), after = Math.Abs(last.NextWeight - minimum);
            if (after < ConvergedBelow * Math.Max(1, Math.Abs(minimum))) return Trend.Converged;
            if (after > before * (1 + SameDistance)) return Trend.Diverging;
            bool crossed = Math.Sign(last.Weight - minimum) * Math.Sign(last.NextWeight - minimum) < 0;
            if (!crossed) return Trend.Approaching;
            return after >= before * (1 - SameDistance) ? Trend.Bouncing : Trend.OvershootingLess;
        }
    }

    /// <summary>C(w) = (i·w − y)² at many weights at once, through the engine's float64 tensor ops, for the cost curve.</summary>
    public double[] CostAt(double[] weights)
    {
        var output = Tensor.FromArray(weights) * Example.Input;
        var error = output - Example.Target;
        return (error * error).ToDoubleArray();
    }
}
