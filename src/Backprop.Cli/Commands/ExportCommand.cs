using System.CommandLine;
using Backprop.IO;
using Backprop.Losses;

namespace Backprop.Cli;

/// <summary><c>backprop export</c>: a model file as ONNX (opset 17, dynamic batch), for ONNX Runtime and the rest of the field.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new ModelSource();
        var inputShape = new ShapeOption();
        inputShape.Option.Description += " (only for a model file that does not record its architecture)";
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write", Required = true };
        var command = new Command("export", "Write a model as ONNX for inference: linear, convolution, pooling, batch-norm, flatten and activation layers, opset 17, a dynamic batch dimension") { onnx };
        model.AddTo(command);
        command.Options.Add(inputShape.Option);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(onnx)!;
            OutputPath.Check(onnx.Name, path);
            var (network, description) = model.Load(parsed, () => inputShape.Get(parsed, "--arch"));
            OnnxExport.Save(network, description.InputShape.ToArray(), path);
            parsed.InvocationConfiguration.Output.WriteLine($"Wrote {path}: {description.Architecture}, input 'input' [batch, {string.Join(", ", description.InputShape.ToArray())}], output 'output' [batch, {description.Outputs}]{(description.Loss is MSELoss ? "" : " (logits)")}.");
            return 0;
        });
        return command;
    }
}
