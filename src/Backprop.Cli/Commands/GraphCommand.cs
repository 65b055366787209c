using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Backprop.Autograd;
using Backprop.IO;
using Backprop.Losses;
using Backprop.Explain;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>
/// <c>backprop graph</c>: the computation graph of one forward pass and its loss, after backward, as Graphviz DOT (one
/// node per op with its name, shape, value and gradient), or as SVG through Graphviz's <c>dot</c> when it is installed.
/// Without a network it draws the article's example, a = i·w and C = (a − y)².
/// </summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var network = new ExampleNetwork();
        var output = new Option<string>("--out") { Description = "The file to write: FILE.dot, or FILE.svg (needs Graphviz `dot`)", Required = true };
        var maxNodes = CheckedOption.Int("--max-nodes", "Refuse graphs with more nodes than this", 200, v => v < 1 ? "must be at least 1" : null);
        var command = new Command("graph", "Write the computation graph of a forward and backward pass as Graphviz DOT or SVG") { output, maxNodes };
        network.AddTo(command);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(output)!;
            string extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is not (".dot" or ".svg")) throw new ArgumentException($"--out: '{path}' must end in .dot or .svg");
            OutputPath.Check(output.Name, path);

            var (cost, names) = network.IsGiven(parsed) ? Network(network, parsed) : Article();
            ComputationGraph graph;
            try { graph = ComputationGraph.Of(cost, parsed.GetValue(maxNodes)); }
            catch (InvalidOperationException e) { throw new InvalidOperationException($"{e.Message}; draw a smaller model or raise {maxNodes.Name}"); }
            graph.RetainGrads();
            cost.Backward();
            string dot = graph.ToDot(names);

            if (extension == ".dot") AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(dot)));
            else AtomicFile.Write(path, stream => stream.Write(RenderSvg(dot)));
            parsed.InvocationConfiguration.Output.WriteLine($"Wrote {path}: {graph.Tensors.Count} nodes, {graph.EdgeCount} edges.");
            return 0;
        });
        return command;
    }

    private static (Tensor Cost, Dictionary<Tensor, string> Names) Network(ExampleNetwork network, ParseResult parsed)
    {
        var (model, description, input, target) = network.Create(parsed);
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance) { [input] = "x (input)" };
        foreach (var (name, parameter) in model.NamedParameters()) names[parameter] = name;
        var prediction = model.Forward(input);
        var encoded = description.Loss is CrossEntropyLoss ? target : target.Reshape(prediction.Shape.ToArray());
        names[encoded] = "y (target)";
        return (description.Loss.Forward(prediction, encoded), names);
    }

    /// <summary>The article's perceptron: a = i·w, C = (a − y)², with i = 1.5, y = 0.5, w = 0.8.</summary>
    private static (Tensor Cost, Dictionary<Tensor, string> Names) Article()
    {
        var w = Tensor.Scalar(0.8, DType.Float64);
        w.RequiresGrad = true;
        var i = Tensor.Scalar(1.5, DType.Float64);
        var y = Tensor.Scalar(0.5, DType.Float64);
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance) { [w] = "w", [i] = "i", [y] = "y" };
        return (Loss.Mse(i * w, y), names);
    }

    private static byte[] RenderSvg(string dot)
    {
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("dot", "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("graph: Graphviz `dot` is not installed, so no SVG can be drawn; write a .dot file instead, or install graphviz");
        }
        using (process)
        {
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            var svg = new MemoryStream();
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.BaseStream.CopyTo(svg);
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"graph: Graphviz `dot` failed: {errors.Result.Trim()}");
            return svg.ToArray();
        }
    }
}
