using System.CommandLine;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;

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
        var command = new Command("export", "Write a model as ONNX for inference, opset 17, a dynamic batch dimension: linear, convolution, pooling, batch-norm, flatten and activation layers; " +
            "text models (a GPT; Embedding with RNN, LSTM, GRU or MultiheadAttention) with a dynamic sequence too") { onnx };
        model.AddTo(command);
        command.Options.Add(inputShape.Option);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(onnx)!;
            OutputPath.Check(onnx.Name, path);
            var (network, description) = model.LoadAny(parsed, () => inputShape.Get(parsed, "--arch"));
            if (network is GPT gpt) OnnxExport.Save(gpt, path);
            // Any text model other than a GPT is a sequential network (an Embedding first) that reads token windows.
            else OnnxExport.Save(description.Tokenizer is null ? ModelSource.Network(parsed.GetValue(model.Model)!, network, description) : (Sequential)network, description.InputShape.ToArray(), path);
            string shapes = description.BlockSize is { } window
                ? $"input 'input' int64 [batch, sequence ≤ {window}], output 'output' [batch, sequence, {description.Outputs}] (logits)"
                : $"input 'input' [batch, {string.Join(", ", description.InputShape.ToArray())}], output 'output' [batch, {description.Outputs}]{(description.Loss is MSELoss ? "" : " (logits)")}";
            parsed.InvocationConfiguration.Output.WriteLine($"Wrote {path}: {description.Architecture}, {shapes}.");
            return 0;
        });
        return command;
    }
}
