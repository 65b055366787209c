using Backprop.Data;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>
/// A trained MLP on disk: a safetensors file with PyTorch's parameter names and layouts, and the <see cref="ModelSpec"/>
/// in its metadata, so that it needs no other flags to load.
/// </summary>
public static class ModelFile
{
    /// <summary>The problem a model file without an architecture in its metadata is refused with, when none is given for it.</summary>
    public const string NoArchitecture = "records no architecture (a state dict without Backprop's metadata, as PyTorch's save_file writes); the architecture must be given";

    /// <summary>Saves atomically: an interrupted or failed save leaves the previous file as it was.</summary>
    public static void Save(string path, Module model, ModelSpec spec) => Safetensors.Save(path, model.StateDict(), spec.ToMetadata());

    /// <summary>
    /// Loads a model. The spec comes from the file's metadata, or from <paramref name="fallback"/> for a file without it
    /// (such as a PyTorch <c>nn.Sequential</c> state dict saved with safetensors).
    /// </summary>
    public static (Sequential Model, ModelSpec Spec) Load(string path, ModelSpec? fallback)
    {
        var content = Safetensors.Load(path);
        var spec = ModelSpec.FromMetadata(content.Metadata) ?? fallback
            ?? throw new DataFileException(path, NoArchitecture);
        var model = spec.Build(new Generator());
        LoadInto(path, model, content.Tensors);
        return (model, spec);
    }

    /// <summary>Copies a model file's weights into <paramref name="model"/> (for <c>train --init</c>).</summary>
    public static void LoadWeights(string path, Module model) => LoadInto(path, model, Safetensors.Load(path).Tensors);

    private static void LoadInto(string path, Module model, IReadOnlyDictionary<string, Tensor> tensors)
    {
        try { model.LoadStateDict(tensors); }
        catch (ArgumentException e) { throw new DataFileException(path, $"does not fit the model: {e.Message}"); }
    }
}
