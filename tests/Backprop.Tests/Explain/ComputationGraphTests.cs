using System.Diagnostics;
using Backprop.Explain;
using static Backprop.Tests.TestData;

namespace Backprop.Tests.Explain;

public class ComputationGraphTests
{
    private static (Tensor A, Tensor B, Tensor C, Tensor Result) Expression()
    {
        var a = Leaf(1, 2);
        var b = Leaf(3, 4);
        var c = Leaf(0.5, 0.5);
        return (a, b, c, (a * b + c).Sum(0));
    }

    [Fact]
    public void NodesAndEdgesOfAKnownExpression()
    {
        var (a, b, c, result) = Expression();
        var graph = ComputationGraph.Of(result);

        // a, b, c, mul, add, sum; a→mul, b→mul, mul→add, c→add, add→sum
        Assert.Equal(6, graph.Tensors.Count);
        Assert.Equal(5, graph.EdgeCount);
        Assert.Same(result, graph.Tensors[^1]);
        Assert.True(graph.Tensors.ToList().IndexOf(a) < graph.Tensors.ToList().IndexOf(result));

        string dot = result.ToDot(new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance) { [a] = "a", [b] = "b", [c] = "c" });
        Assert.Equal(6, dot.Split('\n').Count(line => line.Contains("label=")));
        Assert.Equal(5, dot.Split('\n').Count(line => line.Contains("->")));
        Assert.Contains("label=\"mul\\n[2]\\nvalue [3, 8]\"", dot);
        Assert.Contains("label=\"a\\n[2]\\nvalue [1, 2]\"", dot);
    }

    [Fact]
    public void AfterBackwardEveryNodeShowsItsGradient()
    {
        var (_, _, _, result) = Expression();
        var graph = ComputationGraph.Of(result);
        graph.RetainGrads();
        result.Backward();

        string dot = graph.ToDot();
        Assert.Equal(6, dot.Split('\n').Count(line => line.Contains("\\ngrad ")));
        Assert.Contains("label=\"mul\\n[2]\\nvalue [3, 8]\\ngrad [1, 1]\"", dot);
        Assert.Contains("value [1, 2]\\ngrad [3, 4]", dot); // dL/da = b
    }

    [Fact]
    public void ALargeGraphIsRefusedWithItsSize()
    {
        var x = Leaf(1, 1);
        var y = x;
        for (int i = 0; i < 30; i++) y = y * 2;
        Assert.Equal("graph: more than 10 nodes, too many to draw",
            Assert.Throws<InvalidOperationException>(() => y.ToDot(maxNodes: 10)).Message);
    }

    [Fact]
    public void SummariesShowFewValuesAndTheNorm()
    {
        Assert.Equal("[1, 2, 3, 4]", ComputationGraph.Summary(Tensor.FromArray([1f, 2, 3, 4])));
        Assert.Equal("[3, 0, 0, …] ‖·‖ 5", ComputationGraph.Summary(Tensor.FromArray([3f, 0, 0, 0, 4])));
    }

    [SkippableFact]
    public void GraphvizParsesTheOutput()
    {
        string dotProgram = Graphviz.Dot();
        var (_, _, _, result) = Expression();
        var start = new ProcessStartInfo(dotProgram, "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(result.ToDot());
        process.StandardInput.Close();
        string svg = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("<svg", svg);
    }
}
