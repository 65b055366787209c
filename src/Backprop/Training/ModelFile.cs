using Backprop.Data;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>
/// A trained model on disk: a safetensors file with PyTorch's parameter and buffer names and layouts, and the
/// <see cref="ModelDescription"/> in its metadata, so that it needs no other flags to load.
/// </summary>
public static class ModelFile
{
    /// <summary>The problem a model file without an architecture in its metadata is refused with, when none is given for it.</summary>
    public const string NoArchitecture = "records no architecture (a state dict without Backprop's metadata, as PyTorch's save_file writes); the architecture must be given";

    /// <summary>Saves atomically: an interrupted or failed save leaves the previous file as it was.</summary>
    public static void Save(string path, Module model, ModelDescription description) => Safetensors.Save(path, model.StateDict(), description.ToMetadata());

    /// <summary>The bytes <see cref="Save"/> writes, for a model file made where there is no file system (a browser's download).</summary>
    public static byte[] ToBytes(Module model, ModelDescription description)
    {
        using var stream = new MemoryStream();
        Safetensors.Write(stream, model.StateDict(), description.ToMetadata());
        return stream.ToArray();
    }

    /// <summary>
    /// Loads a model. The description comes from the file's metadata, or for a file without it (such as a PyTorch
    /// <c>nn.Sequential</c> state dict saved with safetensors) from <paramref name="fallback"/>, which is asked only then.
    /// </summary>
    public static (Sequential Model, ModelDescription Description) Load(string path, Func<ModelDescription?>? fallback = null)
    {
        var content = Safetensors.Load(path);
        ModelDescription? recorded;
        try
        {
            recorded = ModelDescription.FromMetadata(content.Metadata);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new DataFileException(path, $"its metadata does not describe a network: {e.Message}");
        }
        var description = recorded ?? fallback?.Invoke() ?? throw new DataFileException(path, NoArchitecture);
        var model = description.Build(new Generator()); // its own generator: the weights are overwritten, and the default stream stays as it was
        LoadInto(path, model, content.Tensors);
        return (model, description);
    }

    /// <summary>Copies a model file's weights into <paramref name="model"/> (to start training from saved weights).</summary>
    public static void LoadWeights(string path, Module model) => LoadInto(path, model, Safetensors.Load(path).Tensors);

    private static void LoadInto(string path, Module model, IReadOnlyDictionary<string, Tensor> tensors)
    {
        try { model.LoadStateDict(tensors); }
        catch (ArgumentException e) { throw new DataFileException(path, $"does not fit the model: {e.Message}"); }
    }
}
