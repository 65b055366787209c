using System.Globalization;
using Backprop.Explain;
using Backprop.Playground.Core;
using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>
/// Clicking a weight shows its gradient as the chain rule, and the numbers are the library's: the same settings and seed,
/// run here by the library itself, give the same lines and the same gradient; a step shows the update it made.
/// </summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class GradientPanelTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    private const string Hash = "dataset=circle&seed=7&regularization=L2&regularizationRate=0.01&learningRate=0.1";

    [SkippableFact]
    public async Task Clicking_a_weight_shows_the_librarys_chain_rule_and_a_step_shows_its_update()
    {
        await using var page = await playground.OpenAsync("/#" + Hash, output);
        var library = new PlaygroundSession(PlaygroundHash.Parse(Hash, new PlaygroundSettings(), out _));
        for (int i = 0; i < 2; i++)
        {
            await page.Page.TestId("step").ClickAsync();
            library.Step();
        }
        Assert.Equal(2, await page.Page.WaitForNumberAsync("steps", n => n == 2, TimeSpan.FromSeconds(10)));

        await page.Page.TestId("link-2-1-0").ClickAsync();
        var weight = ParameterRef.Weight(2, 1, 0);
        var expected = library.Explain(weight);
        await page.Page.TestId("chain-rule").WaitForAsync();
        var shown = await page.Page.TestId("chain-rule").TextContentAsync();
        output.WriteLine(shown);
        Assert.Equal(expected.Lines, shown!.Split('\n'));
        double gradient = double.Parse((await page.Page.TestId("gradient-value").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        Assert.Equal(expected.Gradient, gradient, 1e-6);
        Assert.NotEqual(0, gradient);

        // The Σ line's products and the penalty term add up to the gradient (to the 4 significant digits they are written with).
        var sum = shown.Split('\n')[1];
        var factors = System.Text.RegularExpressions.Regex.Matches(sum, @"\(([-−0-9.eE+]+)\)\(([-−0-9.eE+]+)\)")
            .Select(m => Parse(m.Groups[1].Value) * Parse(m.Groups[2].Value)).ToList();
        Assert.Equal(10, factors.Count); // one term per example of the batch of 10
        double penalty = 0.01 * library[weight];
        Assert.Equal(gradient, factors.Sum() + penalty, Math.Abs(gradient) * 2e-3 + 1e-6);

        float before = library[weight];
        await page.Page.TestId("step").ClickAsync();
        library.Step();
        await page.Page.TestId("update-line").WaitForAsync();
        var update = await page.Page.TextAsync("update-line");
        output.WriteLine(update);
        Assert.Equal($"Last step: {ParameterGradientExplanation.UpdateLine(weight.ToString(), before, 0.1, library.Gradient(weight)!.Value, library[weight])}", update);
        Assert.Empty(page.Errors);
    }

    private static double Parse(string text) => double.Parse(text.Replace('−', '-'), CultureInfo.InvariantCulture);
}
