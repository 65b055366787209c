using System.Globalization;
using Backprop.Losses;
using Backprop.Explain;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Explain;

/// <summary>
/// A small conv net narrated: each kernel weight's gradient as the sum over output positions of upstream gradient times
/// input value, max pooling routing each window's gradient to its arg-max, batch norm's gradient through the batch
/// statistics. Every narrated number is checked against a separate pass of the engine.
/// </summary>
public class ConvExplanationTests
{
    private const string Text = "Conv2d(1, 2, 2), BatchNorm2d(2), ReLU(), MaxPool2d(2), Flatten(), Linear(2, 2)";

    private static (Sequential Model, Tensor Input, Tensor Target) Network()
    {
        var model = (Sequential)Architecture.Parse(Text).Build(new Generator(3));
        var input = Tensor.Rand([1, 1, 4, 4], new Generator(4));
        return (model, input, Tensor.FromArray([1f]));
    }

    /// <summary>The engine's gradients of the same network on the same example, made without the narration.</summary>
    private static (Dictionary<string, double[]> Parameters, Tensor[] Activations) EngineGradients()
    {
        var (model, input, target) = Network();
        model.Train();
        var activations = new List<Tensor> { input };
        foreach (var layer in model.Layers)
        {
            activations.Add(layer.Forward(activations[^1]));
            activations[^1].RetainGrad();
        }
        new CrossEntropyLoss().Forward(activations[^1], target).Backward();
        return (model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Grad!.ToDoubleArray()), [.. activations]);
    }

    [Fact]
    public void KernelAndBiasGradientsAreSumsOverOutputPositionsOfTheEnginesNumbers()
    {
        var (model, input, target) = Network();
        var explanation = NetworkExplanation.Run(model, input, target, new CrossEntropyLoss());
        var (expected, _) = EngineGradients();

        var conv = explanation.Backward.Single(s => s.Title.StartsWith("conv2d (layer 0)", StringComparison.Ordinal));
        Assert.Equal("dC/dK0[o,c,p,q] = Σ_(y,x) dC/dz0[o,y,x] · x[c, y + p, x + q] over the 3×3 output positions", conv.Lines[0]);
        var kernel = conv.Terms.Where(t => t.Gradient.StartsWith("dC/dK0[", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, kernel.Count); // [2, 1, 2, 2]
        Assert.All(kernel, t => Assert.Equal(9, t.Products.Count)); // a 2×2 kernel over a 4×4 input meets 3×3 positions
        for (int k = 0; k < kernel.Count; k++)
        {
            Assert.Equal(expected["0.weight"][k], kernel[k].Value, 6);
            Assert.Equal(kernel[k].Value, kernel[k].ChainRuleValue, 5); // the narrated sum is the gradient
        }
        Assert.Equal("dC/dK0[1,0,1,0]", kernel[6].Gradient);
        Assert.Equal("x[0,y + 1,x]", kernel[6].Local);
        // Each local factor is the input value the weight met: K0[1,0,1,0] meets x[0, y+1, x] at output (y, x).
        var x = input.ToDoubleArray();
        Assert.Equal(Enumerable.Range(0, 9).Select(i => x[(i / 3 + 1) * 4 + i % 3]), kernel[6].Products.Select(p => p.Local));

        var bias = conv.Terms.Where(t => t.Gradient.StartsWith("dC/db0[", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected["0.bias"], bias.Select(t => t.Value));
        Assert.StartsWith("dC/dK0[0,0,0,0] = Σ_(y,x) dC/dz0[0,y,x] · x[0,y,x] = ", NetworkExplanation.Describe(kernel[0]));
    }

    [Fact]
    public void MaxPoolingRoutesEachWindowsGradientToItsArgMax()
    {
        var (model, input, target) = Network();
        var pool = NetworkExplanation.Run(model, input, target, new CrossEntropyLoss()).Backward.Single(s => s.Title.StartsWith("max_pool2d (layer 3)", StringComparison.Ordinal));
        var (_, activations) = EngineGradients();
        var a = activations[3].ToDoubleArray();            // relu's output [1, 2, 3, 3]
        var routed = activations[3].Grad!.ToDoubleArray(); // its gradient: nonzero only at each window's arg-max
        var windows = pool.Lines.Where(l => l.StartsWith("window", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, windows.Count); // one 2×2 window per channel (3×3 input, stride 2)
        for (int c = 0; c < 2; c++)
        {
            // "window (0,0) of channel c: the largest is a2[c,y,x] = v, which gets dC/dp3[c,0,0] = g"
            var at = windows[c].Split("a2[")[1].Split(']')[0].Split(',').Select(int.Parse).ToArray();
            int position = (at[0] * 3 + at[1]) * 3 + at[2];
            var window = new[] { 0, 1, 3, 4 }.Select(k => a[c * 9 + k]);
            Assert.Equal(window.Max(), a[position]);
            double gradient = double.Parse(windows[c].Split("= ")[^1], CultureInfo.InvariantCulture);
            Assert.Equal(routed[position], gradient, 3);
            Assert.Equal(routed[position], routed.Skip(c * 9).Take(9).Sum(), 6); // nothing else in the channel got any
        }
    }

    [Fact]
    public void BatchNormsInputGradientFollowsTheNarratedFormula()
    {
        var (model, input, target) = Network();
        var step = NetworkExplanation.Run(model, input, target, new CrossEntropyLoss()).Backward.Single(s => s.Title.StartsWith("batch_norm (layer 1)", StringComparison.Ordinal));
        var (expected, activations) = EngineGradients();
        var z = activations[1].ToDoubleArray();
        var upstream = activations[2].Grad!.ToDoubleArray();
        var engine = activations[1].Grad!.ToDoubleArray();
        var gamma = model.NamedParameters().Single(p => p.Key == "1.weight").Value.ToDoubleArray();
        for (int c = 0; c < 2; c++)
        {
            // dC/dz = γ/√(σ² + ε) · (g − mean(g) − ẑ · mean(g · ẑ)), over the channel's 9 positions.
            var values = z.Skip(c * 9).Take(9).ToArray();
            var g = upstream.Skip(c * 9).Take(9).ToArray();
            double mean = values.Average(), variance = values.Average(v => (v - mean) * (v - mean)), root = Math.Sqrt(variance + 1e-5);
            var normalised = values.Select(v => (v - mean) / root).ToArray();
            double meanG = g.Average(), meanGz = g.Select((v, i) => v * normalised[i]).Average();
            for (int i = 0; i < 9; i++) Assert.Equal(engine[c * 9 + i], gamma[c] / root * (g[i] - meanG - normalised[i] * meanGz), 4);

            string line = step.Lines.Single(l => l.StartsWith($"channel {c}:", StringComparison.Ordinal));
            Assert.Contains($"μ = {mean.ToString("G4", CultureInfo.InvariantCulture)}", line);
            Assert.Contains($"dC/dγ1[{c}] = Σ dC/dn1·x̂ = {expected["1.weight"][c].ToString("G4", CultureInfo.InvariantCulture)}", line);
            Assert.Contains($"dC/dβ1[{c}] = Σ dC/dn1 = {expected["1.bias"][c].ToString("G4", CultureInfo.InvariantCulture)}", line);
        }
    }

    [Fact]
    public void TheCommandLineNarratesAnArchAndDrawsItsGraph()
    {
        var (code, output, error) = Cli.CliRunner.Run("explain", "--arch", Text, "--input-shape", "1,4,4", "--loss", "cross-entropy", "--target", "1");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.StartsWith($"One example through the network {Text} (inputs [1, 4, 4]), loss cross-entropy; every gradient is the engine's own.", output);
        Assert.Contains("  conv2d (layer 0): z0 = conv2d(x, K0) + b0\n", output);

        using var dir = new TempDirectory();
        (code, output, error) = Cli.CliRunner.Run("graph", "--arch", Text, "--input-shape", "1,4,4", "--loss", "cross-entropy", "--target", "1", "--out", dir.File("g.dot"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        string dot = File.ReadAllText(dir.File("g.dot"));
        foreach (var name in new[] { "0.weight", "1.weight", "5.weight", "conv2d", "batch_norm", "max_pool2d" }) Assert.Contains(name, dot);

        Tests.Cli.CliAssert.OneLineError(Cli.CliRunner.Run("explain", "--arch", Text), "--arch needs --input-shape, the shape of one example, such as 1,6,6");
        Tests.Cli.CliAssert.OneLineError(Cli.CliRunner.Run("explain", "--arch", Text, "--input-shape", "1,x,4"), "--input-shape: '1,x,4' is not a shape such as 1,6,6 ('x' is not a size)");
        Tests.Cli.CliAssert.OneLineError(Cli.CliRunner.Run("explain", "--arch", Text, "--input-shape", "1,2,2"),
            "architecture: MaxPool2d(2) gets examples of shape [2, 1, 1] from ReLU(): a window of 2 does not fit in 1 (with 0 of padding)");
    }
}
