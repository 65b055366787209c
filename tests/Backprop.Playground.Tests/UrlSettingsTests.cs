using Backprop.Playground.Core;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Backprop.Playground.Tests;

/// <summary>Every setting lives in the URL: a link opens the page with its settings, and a change made on the page is in the URL.</summary>
[Collection(PlaygroundCollection.Name)]
[Trait("Category", "Browser")]
public sealed class UrlSettingsTests(PlaygroundFixture playground, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_link_restores_its_settings()
    {
        const string Hash = "activation=relu&learningRate=0.1&networkShape=3,2,2&dataset=spiral&noise=10&batchSize=5&percTrainData=70" +
                            "&xSquared=true&x=false&seed=5&regularization=L1&regularizationRate=0.003";
        await using var page = await playground.OpenAsync("/#" + Hash, output);
        var p = page.Page;
        await Assertions.Expect(p.TestId("learning-rate")).ToHaveValueAsync("0.1");
        await Assertions.Expect(p.TestId("activation")).ToHaveValueAsync("relu");
        await Assertions.Expect(p.TestId("regularization")).ToHaveValueAsync("L1");
        await Assertions.Expect(p.TestId("regularization-rate")).ToHaveValueAsync("0.003");
        await Assertions.Expect(p.TestId("noise")).ToHaveValueAsync("10");
        await Assertions.Expect(p.TestId("batch-size")).ToHaveValueAsync("5");
        await Assertions.Expect(p.TestId("perc-train")).ToHaveValueAsync("70");
        await Assertions.Expect(p.TestId("dataset-spiral")).ToHaveClassAsync("chosen");
        // Inputs x₂ and x₁² (x₁ switched off), hidden layers 3, 2, 2, one output: links from 2 inputs, 3·2 + 2·2, 2 to the output.
        await Assertions.Expect(p.Locator("[data-testid^='link-']")).ToHaveCountAsync(2 * 3 + 3 * 2 + 2 * 2 + 2);
        await Assertions.Expect(p.TestId("link-4-1-0")).ToHaveCountAsync(1);
        await Assertions.Expect(p.TestId("feature-x")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\boff\\b"));

        // The same settings and seed as the library's: the page's first training points are the library's.
        var settings = PlaygroundHash.Parse(Hash, new PlaygroundSettings(), out var problems);
        Assert.Empty(problems);
        var scores = new PlaygroundSession(settings).Score();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(scores.Train.Loss.ToString("F3", invariant), await p.TextAsync("train-loss"));
        // Two classes learnt with squared error are scored as classes too: the accuracy beside the losses.
        Assert.Equal((scores.Train.Accuracy!.Value * 100).ToString("F2", invariant), await p.TextAsync("train-accuracy"));
        Assert.Equal((scores.Test!.Accuracy!.Value * 100).ToString("F2", invariant), await p.TextAsync("test-accuracy"));
        Assert.Empty(page.Errors);
    }

    [SkippableFact]
    public async Task A_change_on_the_page_is_in_the_url_and_a_reload_keeps_it()
    {
        await using var page = await playground.OpenAsync("/", output);
        var p = page.Page;
        await p.TestId("learning-rate").SelectOptionAsync("0.3");
        await p.TestId("add-layer").ClickAsync();
        await p.TestId("feature-sinX").ClickAsync();
        await p.WaitForFunctionAsync("() => location.hash.includes('learningRate=0.3') && location.hash.includes('networkShape=4%2C2%2C2') && location.hash.includes('sinX=true')");
        output.WriteLine(await p.EvaluateAsync<string>("() => location.hash"));

        await p.ReloadAsync();
        await page.WaitForAppAsync();
        await Assertions.Expect(p.TestId("learning-rate")).ToHaveValueAsync("0.3");
        await Assertions.Expect(p.TestId("link-3-1-1")).ToHaveCountAsync(1); // the third hidden layer
        await Assertions.Expect(p.TestId("feature-sinX")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\boff\\b"));
        Assert.Empty(page.Errors);
    }
}
