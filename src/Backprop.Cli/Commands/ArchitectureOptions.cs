using System.CommandLine;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>The options that describe a network (--layers, --activation, --loss), shared by train, eval and predict.</summary>
internal sealed class ArchitectureOptions
{
    public Option<string?> Layers { get; } = new("--layers") { Description = "Layer sizes, inputs first, such as 784,128,10" };

    public Option<string> Activation { get; } = new("--activation")
    {
        Description = $"Activation between layers: {string.Join(", ", ActivationNames.All)}",
        DefaultValueFactory = _ => "relu",
    };

    public Option<string> Loss { get; } = new("--loss")
    {
        Description = "Loss: cross-entropy, mse or bce",
        DefaultValueFactory = _ => "cross-entropy",
    };

    public void AddTo(Command command, bool layersRequired)
    {
        Layers.Required = layersRequired;
        command.Options.Add(Layers);
        command.Options.Add(Activation);
        command.Options.Add(Loss);
    }

    /// <summary>The spec the options describe, or null when --layers was not given.</summary>
    public ModelSpec? Spec(ParseResult parsed) =>
        parsed.GetValue(Layers) is { } layers
            ? new ModelSpec(ModelSpec.ParseLayers(layers), ActivationNames.Parse(parsed.GetValue(Activation)!), ModelSpec.ParseLoss(parsed.GetValue(Loss)!))
            : null;
}
