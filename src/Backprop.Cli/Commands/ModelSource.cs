using System.CommandLine;
using Backprop.Data;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>--model and the architecture options for a model file that does not record its own, shared by eval, predict, export and plot.</summary>
internal sealed class ModelSource(bool required = true)
{
    private readonly ArchitectureOptions architecture = new();

    public Option<string> Model { get; } = new("--model") { Description = "The model file (safetensors)", Required = required };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        architecture.AddTo(command);
        architecture.Layers.Description += " (only for a model file that does not record its architecture)";
        architecture.Arch.Description += " (only for a model file that does not record its architecture)";
    }

    /// <summary>
    /// The model file --model names. For a file without an architecture, --arch or --layers describe it; --arch then needs
    /// the shape of one input example, which <paramref name="exampleShape"/> gives (from the data the command reads).
    /// </summary>
    public (Sequential Model, ModelDescription Description) Load(ParseResult parsed, Func<IReadOnlyList<int>>? exampleShape = null)
    {
        var (model, description) = LoadAny(parsed, exampleShape);
        return (Network(parsed.GetValue(Model)!, model, description), description);
    }

    /// <summary>As <see cref="Load(ParseResult, Func{IReadOnlyList{int}}?)"/>, for any model: a text model too (a GPT is not a Sequential).</summary>
    public (Module Model, ModelDescription Description) LoadAny(ParseResult parsed, Func<IReadOnlyList<int>>? exampleShape = null) =>
        LoadAny(parsed.GetValue(Model)!, () => architecture.Describe(parsed, exampleShape ?? (() =>
            throw new ArgumentException($"{architecture.Arch.Name}: a model file without an architecture records no input shape either; this command reads no data to take it from"))));

    /// <summary>
    /// A text model: the file --model names, or for a bare state dict (PyTorch's, nanoGPT's) the network --arch describes
    /// over the vocabulary of the corpus <paramref name="vocabulary"/> reads (as at training), reading windows of
    /// <paramref name="blockSize"/> tokens or a GPT's block_size. A model of images or tables is refused.
    /// </summary>
    public (Module Model, ModelDescription Description) LoadText(ParseResult parsed, Func<Tokenizer> vocabulary, int? blockSize = null)
    {
        string path = parsed.GetValue(Model)!;
        var (model, description) = LoadAny(path, () => parsed.GetValue(architecture.Arch) is { } arch
            ? TextModelDescription.Describe(ArchText.Resolve(arch), vocabulary(), blockSize)
            : throw new DataFileException(path, $"records no architecture; give {architecture.Arch.Name} and the corpus its vocabulary comes from"));
        if (description.Tokenizer is null) throw new DataFileException(path, $"is a model of images or tables ({description.Architecture}); text needs a text model (train one with --data FILE.txt)");
        return (model, description);
    }

    /// <summary>A model file, with <paramref name="fallback"/> (from --arch or --layers) for one that does not record its architecture.</summary>
    public static (Sequential Model, ModelDescription Description) Load(string path, Func<ModelDescription?> fallback)
    {
        var (model, description) = LoadAny(path, fallback);
        return (Network(path, model, description), description);
    }

    private static (Module Model, ModelDescription Description) LoadAny(string path, Func<ModelDescription?> fallback) =>
        ModelFile.Load(path, () => fallback() ?? throw new DataFileException(path, "records no architecture; give --arch, or --layers and --activation"));

    /// <summary>
    /// The sequential network of images or tables that eval, predict, export, plot and explain read; a text model is refused
    /// naming the commands that read it (its inputs are token windows, not examples of features).
    /// </summary>
    public static Sequential Network(string source, Module model, ModelDescription description) =>
        model is Sequential network && description.Tokenizer is null
            ? network
            : throw new DataFileException(source, $"is a text model ({description.Architecture}); this command reads models of images or tables (text models: eval and generate with a text file)");
}
