namespace Backprop.Tests.Cli;

public class GraphCommandTests
{
    [Fact]
    public void TheArticlesGraphWithValuesAndGradients()
    {
        using var dir = new TempDirectory();
        string path = dir.File("article.dot");
        var (code, output, error) = CliRunner.Run("graph", "--out", path);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        // i, w, mul, y, sub, the exponent 2, pow, and the mean: reshape, sum, the count, div
        Assert.Contains("11 nodes, 10 edges", output);
        string dot = File.ReadAllText(path);
        Assert.Contains("label=\"w\\n[]\\nvalue [0.8]\\ngrad [2.1]\"", dot); // dC/dw
        Assert.Contains("label=\"mul\\n[]\\nvalue [1.2]\\ngrad [1.4]\"", dot); // a and dC/da
        Assert.Equal(10, dot.Split('\n').Count(l => l.Contains("->")));
    }

    [SkippableFact]
    public void SvgIsDrawnThroughGraphviz()
    {
        Graphviz.Dot();
        using var dir = new TempDirectory();
        string path = dir.File("article.svg");
        var (code, output, error) = CliRunner.Run("graph", "--out", path);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("11 nodes, 10 edges", output);
        string svg = File.ReadAllText(path);
        Assert.StartsWith("<?xml", svg);
        Assert.Contains("<svg", svg);
        // Graphviz draws each node and edge as a group of its class; the labels' lines become text elements.
        Assert.Equal(11, svg.Split("class=\"node\"").Length - 1);
        Assert.Equal(10, svg.Split("class=\"edge\"").Length - 1);
        Assert.Contains(">grad [2.1]</text>", svg); // dC/dw
        Assert.Contains(">grad [1.4]</text>", svg); // dC/da
    }

    [Fact]
    public void ANetworksParametersAreNamed()
    {
        using var dir = new TempDirectory();
        string path = dir.File("net.dot");
        var (code, _, _) = CliRunner.Run("graph", "--out", path, "--layers", "2,2,1", "--activation", "sigmoid");
        Assert.Equal(0, code);
        string dot = File.ReadAllText(path);
        foreach (var name in new[] { "0.weight", "0.bias", "2.weight", "2.bias", "x (input)", "y (target)", "linear", "sigmoid" }) Assert.Contains($"label=\"{name}\\n", dot);
    }

    [Fact]
    public void BadRequestsAreOneLine()
    {
        using var dir = new TempDirectory();
        Assert.Equal((2, "backprop: graph: more than 5 nodes, too many to draw; draw a smaller model or raise --max-nodes"),
            Error("graph", "--out", dir.File("g.dot"), "--max-nodes", "5"));
        Assert.Equal((2, "backprop: --out: 'graph.png' must end in .dot or .svg"), Error("graph", "--out", "graph.png"));
        Assert.False(File.Exists(dir.File("g.dot")));
    }

    private static (int, string) Error(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        return (code, error.TrimEnd());
    }
}
