using System.Globalization;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Cli;

public class ExplainCommandTests
{
    // The article's example, every line whole. The numbers, by hand: a = i·w, C = (a − y)², dC/da = 2(a − y), da/dw = i,
    // dC/dw = dC/da · da/dw, w₁ = w₀ − r·dC/dw. Defaults i = 1.5, y = 0.5, w₀ = 0.8, r = 0.1: a = 1.2, C = 0.7² = 0.49,
    // dC/da = 1.4, dC/dw = 1.4·1.5 = 2.1, w₁ = 0.8 − 0.21 = 0.59. With i = 3, y = 1, w₀ = 2, r = 0.01: a = 6, C = 5² = 25,
    // dC/da = 10, dC/dw = 10·3 = 30, w₁ = 2 − 0.3 = 1.7.
    [Theory]
    [InlineData(new string[0], "1.5", "0.5", "0.8", "0.1", "1.2", "0.49", "1.4", "2.1", "0.59")]
    [InlineData(new[] { "--weight", "2", "--input", "3", "--target", "1", "--lr", "0.01" }, "3", "1", "2", "0.01", "6", "25", "10", "30", "1.7")]
    public void TheArticlesDerivationWithItsNumbers(string[] options, string i, string y, string w, string r, string a, string c, string dCda, string dCdw, string w1)
    {
        var (code, output, error) = CliRunner.Run(["explain", .. options]);
        Assert.Equal((0, ""), (code, error));
        string[] expected =
        [
            $"The article's example: a perceptron without bias or activation, a = i·w, with i = {i}, y = {y}, w₀ = {w}, r = {r}.",
            "Every number below is the engine's: its forward pass, and the gradients its backward pass computed.",
            "",
            $"  a = i·w = {i}·{w} = {a}",
            $"  C = (a − y)² = ({a} − {y})² = {c}",
            $"  dC/da = 2(a − y) = {dCda}",
            $"  da/dw = i = {i}",
            $"  dC/dw = dC/da · da/dw = {dCdw}",
            $"  w₁ = w₀ − r·dC/dw = {w} − {r}·{dCdw} = {w1}",
            "",
            $"The chain rule: dC/dw = dC/da · da/dw = {dCda} · {i}. Run `backprop demo` for the following steps.",
        ];
        Assert.Equal(expected, output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
    }

    /// <summary>
    /// Every number explain prints for a 2-2-1 sigmoid network, read back from its lines and compared with the engine's own
    /// pass over the same network (built as explain builds it, from --seed 1), every intermediate's gradient kept.
    /// Explain prints 4 significant digits, so a printed number is within 5e-4 of the value, relatively.
    /// </summary>
    [Fact]
    public void ASmallNetworkLayerByLayerPrintsTheEnginesValuesAndGradients()
    {
        var (code, output, error) = CliRunner.Run("explain", "--layers", "2,2,1", "--activation", "sigmoid", "--input", "0.05,0.1", "--target", "0.01");
        Assert.Equal((0, ""), (code, error));

        var spec = ModelDescription.Mlp([2, 2, 1], Activation.Sigmoid, new MSELoss());
        var model = (Sequential)spec.Build(new Generator(1));
        var x = Tensor.FromArray([0.05f, 0.1f], [1, 2]);
        var z0 = model.Layers[0].Forward(x).RetainGrad();
        var a1 = model.Layers[1].Forward(z0).RetainGrad();
        var z2 = model.Layers[2].Forward(a1).RetainGrad();
        var cost = Loss.Mse(z2, Tensor.FromArray([0.01f], [1, 1]));
        cost.Backward();
        var (w0, w2) = (((Linear)model.Layers[0]).Weight, ((Linear)model.Layers[2]).Weight);
        var (b0, b2) = (((Linear)model.Layers[0]).Bias!, ((Linear)model.Layers[2]).Bias!);

        var lines = output.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).ToList();
        // The forward pass: each value, and the cost.
        AssertValues(x, Numbers(lines.Single(l => l.StartsWith("x = ", StringComparison.Ordinal))));
        AssertValues(z0, Numbers(lines.Single(l => l.StartsWith("z0 = ", StringComparison.Ordinal))));
        AssertValues(a1, Numbers(lines.Single(l => l.StartsWith("a1 = ", StringComparison.Ordinal))));
        AssertValues(z2, Numbers(lines.Single(l => l.StartsWith("z2 = ", StringComparison.Ordinal))));
        string costLine = lines.Single(l => l.StartsWith("C = ", StringComparison.Ordinal));
        string costText = costLine[..costLine.IndexOf(", y = ", StringComparison.Ordinal)];
        AssertClose(cost.Item(), Number(costText[(costText.LastIndexOf(" = ", StringComparison.Ordinal) + 3)..]), costLine);

        // The backward pass: one line per gradient, "dC/d… = upstream · local = A · B = value", none missing, none extra.
        var gradients = new Dictionary<string, double>();
        void Add(string name, Tensor t, int columns = 0)
        {
            var values = t.ToDoubleArray();
            for (int n = 0; n < values.Length; n++) gradients[columns == 0 ? $"{name}[{n}]" : $"{name}[{n / columns},{n % columns}]"] = values[n];
        }
        Add("dC/dz2", z2.Grad!);
        Add("dC/dW2", w2.Grad!, columns: 2);
        Add("dC/db2", b2.Grad!);
        Add("dC/da1", a1.Grad!);
        Add("dC/dz0", z0.Grad!);
        Add("dC/dW0", w0.Grad!, columns: 2);
        Add("dC/db0", b0.Grad!);
        var printed = lines.Where(l => l.StartsWith("dC/d", StringComparison.Ordinal)).ToList();
        Assert.Equal(gradients.Keys.Order(), printed.Select(l => l[..l.IndexOf(" = ", StringComparison.Ordinal)]).Order());
        foreach (var line in printed) AssertClose(gradients[line[..line.IndexOf(" = ", StringComparison.Ordinal)]], Number(line[(line.LastIndexOf(" = ", StringComparison.Ordinal) + 3)..]), line);

        // Each chain-rule line multiplies the upstream gradient's printed value by the local derivative: the input, the
        // weight, 1 for a bias, or σ'(z) = σ(z)(1 − σ(z)) = a1(1 − a1) for the sigmoid.
        var a = a1.ToDoubleArray();
        var locals = new Dictionary<string, double>
        {
            ["x[0]"] = 0.05f, ["x[1]"] = 0.1f, ["a1[0]"] = a[0], ["a1[1]"] = a[1], ["1"] = 1,
            ["W2[0,0]"] = w2[0, 0], ["W2[0,1]"] = w2[0, 1],
            ["sigmoid'(z0[0])"] = a[0] * (1 - a[0]), ["sigmoid'(z0[1])"] = a[1] * (1 - a[1]),
        };
        var valueText = printed.ToDictionary(l => l[..l.IndexOf(" = ", StringComparison.Ordinal)], l => l[(l.LastIndexOf(" = ", StringComparison.Ordinal) + 3)..]);
        foreach (var line in printed.Where(l => !l.StartsWith("dC/dz2", StringComparison.Ordinal)))
        {
            var parts = line.Split(" = ");
            Assert.Equal(4, parts.Length);
            var names = parts[1].Split(" · ");
            var numbers = parts[2].Split(" · ");
            Assert.Equal(valueText[names[0]], numbers[0]); // the upstream value is the one printed on its own line
            AssertClose(locals[names[1]], Number(numbers[1]), line);
        }
    }

    [Theory]
    [InlineData("--input: 2 values given, the network needs 3", "explain", "--layers", "3,2,1", "--input", "1,2")]
    [InlineData("--input: 'x' is not a number", "explain", "--layers", "2,1", "--input", "1,x")]
    [InlineData("--target: 5 is not a class of the 3 outputs (0 to 2)", "explain", "--layers", "2,3", "--loss", "cross-entropy", "--target", "5")]
    public void BadInputIsOneLine(string message, params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal($"backprop: {message}", error.TrimEnd());
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The numbers of the last list "[v, v, …]" in <paramref name="line"/>.</summary>
    private static double[] Numbers(string line) =>
        [.. line[(line.LastIndexOf('[') + 1)..line.LastIndexOf(']')].Split(", ").Select(Number)];

    private static void AssertValues(Tensor expected, double[] printed)
    {
        var values = expected.ToDoubleArray();
        Assert.Equal(values.Length, printed.Length);
        for (int n = 0; n < values.Length; n++) AssertClose(values[n], printed[n], $"element {n}");
    }

    /// <summary>4 significant digits: within half a unit of the fourth digit, 5e-4 of the value relatively.</summary>
    private static void AssertClose(double expected, double printed, string where) =>
        Assert.True(Math.Abs(printed - expected) <= 5e-4 * Math.Abs(expected), $"{where}: printed {printed}, the engine has {expected}");
}
