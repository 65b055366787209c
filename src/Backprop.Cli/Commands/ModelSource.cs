using System.CommandLine;
using Backprop.Data;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>--model and the fallback architecture options, shared by eval, predict and plot.</summary>
internal sealed class ModelSource(bool required = true)
{
    private readonly ArchitectureOptions architecture = new();

    public Option<string> Model { get; } = new("--model") { Description = "The model file (safetensors)", Required = required };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        architecture.AddTo(command, layersRequired: false);
        architecture.Layers.Description += " (only for a model file that does not record its architecture)";
    }

    public (Sequential Model, ModelSpec Spec) Load(ParseResult parsed) => Load(parsed.GetValue(Model)!, architecture.Spec(parsed));

    /// <summary>A model file, with <paramref name="fallback"/> (from --layers) for one that does not record its architecture.</summary>
    public static (Sequential Model, ModelSpec Spec) Load(string path, ModelSpec? fallback)
    {
        try
        {
            return ModelFile.Load(path, fallback);
        }
        catch (DataFileException e) when (e.Problem == ModelFile.NoArchitecture)
        {
            throw new DataFileException(path, "records no architecture; give --layers and --activation");
        }
    }
}
