using System.Text.RegularExpressions;
using Backprop.Autograd;
using Backprop.Losses;
using Backprop.Optim;
using Backprop.Tests.Cli;

namespace Backprop.Tests;

/// <summary>
/// Keeps docs/tutorial.md true: its C# is the code of these tests (or of the README's), line for line, with what it
/// prints checked here; and each `backprop demo` or `backprop explain` transcript in it (and in docs/command-line.md) is what the command prints now.
/// </summary>
public class TutorialTests
{
    private static readonly string Tutorial = File.ReadAllText(Repository.File("docs/tutorial.md"));

    [Fact]
    public void ForwardPropagationInAPerceptron()
    {
        var console = new StringWriter();

        var x = Tensor.FromArray([1.0, 2.0]);            // inputs x1, x2
        var w = Tensor.FromArray([0.5, -0.25]);          // weights w1, w2
        var b = Tensor.Scalar(0.1, DType.Float64);       // bias
        var z = x.MatMul(w) + b;                         // steps 1 and 2: z = x1·w1 + x2·w2 + b
        var output = z.Sigmoid();                        // step 3: the activation function
        console.WriteLine(z);                            // tensor(0.1000, dtype=float64)
        console.WriteLine(output);                       // tensor(0.5250, dtype=float64)

        Assert.Equal("tensor(0.1000, dtype=float64)\ntensor(0.5250, dtype=float64)\n", console.ToString());
    }

    [Fact]
    public void TheDerivativeByItsDefinition()
    {
        var console = new StringWriter();

        var x0 = Tensor.Scalar(3.0, DType.Float64);
        x0.RequiresGrad = true;
        var y0 = x0.Pow(2);                              // y = f(x) = x²
        y0.Backward();
        console.WriteLine(x0.Grad);                      // tensor(6., dtype=float64): f′(3) = 2·3
        double dx = 1e-4;                                // Δy/Δx for a small change Δx of x
        console.WriteLine($"{(Math.Pow(3 + dx, 2) - Math.Pow(3, 2)) / dx:0.######}");  // 6.0001, closer to 6 as Δx shrinks
        console.WriteLine(GradCheck.Check(v => v[0].Pow(2), [x0.Detach()]).Passed);  // True: every op is checked this way

        Assert.Equal("tensor(6., dtype=float64)\n6.0001\nTrue\n", console.ToString());
    }

    [Fact]
    public void GradientDescentOnTheArticlesExample()
    {
        var console = new StringWriter();

        var w = Tensor.Scalar(0.8, DType.Float64);
        w.RequiresGrad = true;
        var y = Tensor.Scalar(0.5, DType.Float64);
        var optimizer = new Sgd([w], learningRate: 0.1);
        for (int step = 1; step <= 3; step++)
        {
            optimizer.ZeroGrad();
            var cost = Loss.Mse(1.5 * w, y);             // C = (i·w − y)²
            cost.Backward();                             // dC/dw
            optimizer.Step();                            // w ← w − r·dC/dw
            console.WriteLine($"w{step} = {w.Item():0.######}");
        }
        // w1 = 0.59
        // w2 = 0.4745
        // w3 = 0.410975

        Assert.Equal("w1 = 0.59\nw2 = 0.4745\nw3 = 0.410975\n", console.ToString());
    }

    [Fact]
    public void EveryCodeBlockIsTestedCode()
    {
        string tested = Normalise(File.ReadAllText(Repository.File("tests/Backprop.Tests/TutorialTests.cs")) + File.ReadAllText(Repository.File("tests/Backprop.Tests/ReadmeExampleTests.cs")));
        var blocks = Regex.Matches(Tutorial, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks) Assert.True(tested.Contains(Normalise(block)), $"docs/tutorial.md has C# that no test runs:\n{block}");
    }

    [Theory]
    [InlineData("docs/tutorial.md")]
    [InlineData("docs/command-line.md")]
    public void EveryTranscriptIsWhatTheCommandPrints(string document)
    {
        var transcripts = Regex.Matches(File.ReadAllText(Repository.File(document)), "```console\n\\$ backprop ((?:demo|explain)[^\n]*)\n(.*?)```", RegexOptions.Singleline).ToList();
        Assert.NotEmpty(transcripts);
        foreach (var transcript in transcripts)
        {
            var (code, output, error) = CliRunner.Run(transcript.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal((0, ""), (code, error));
            Assert.Equal(transcript.Groups[2].Value, output);
        }
    }

    /// <summary>Lines trimmed and joined, so that indentation does not matter.</summary>
    private static string Normalise(string code) => string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
