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
    /// The file's tensors (names and shapes, from its header) are checked against those the architecture needs before
    /// the network is built or any tensor is read, so a file whose metadata declares more than it holds is refused
    /// with a <see cref="DataFileException"/> naming the first tensor that differs, having allocated no more than the header.
    /// </summary>
    public static (Module Model, ModelDescription Description) Load(string path, Func<ModelDescription?>? fallback = null)
    {
        // The header is read apart from the tensors: the fallback may read other files, whose errors are not this file's.
        var header = ReadHeader(path);
        ModelDescription? recorded;
        List<StateCheck.Need>? needs = null;
        try
        {
            recorded = ModelDescription.FromMetadata(header.Metadata);
            if (recorded is not null) needs = [.. StateCheck.Of(recorded.Architecture)];
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new DataFileException(path, $"its metadata does not describe a network: {e.Message}");
        }
        var description = recorded ?? fallback?.Invoke() ?? throw new DataFileException(path, NoArchitecture);
        var tensors = ReadChecked(path, header, needs ?? StateCheck.Of(description.Architecture));
        var model = description.Build(new Generator()); // its own generator: the weights are overwritten, and the default stream stays as it was
        model.LoadStateDict(tensors);
        return (model, description);
    }

    /// <summary>
    /// Copies a model file's weights into <paramref name="model"/>; the file's tensors are checked against the model's
    /// state dict before any is read (a <see cref="DataFileException"/> names the first that differs).
    /// </summary>
    public static void LoadWeights(string path, Module model) => model.LoadStateDict(ReadChecked(path, ReadHeader(path), StateCheck.Of(model)));

    /// <summary>
    /// A fresh network for <paramref name="description"/>, drawn from <paramref name="generator"/> as
    /// <see cref="ModelDescription.Build"/> draws it, with a model file's weights copied in (to start training from saved
    /// weights). The file's tensors are checked against the architecture before the network is built.
    /// </summary>
    public static Module LoadWeights(string path, ModelDescription description, Generator generator)
    {
        var tensors = ReadChecked(path, ReadHeader(path), StateCheck.Of(description.Architecture));
        var model = description.Build(generator);
        model.LoadStateDict(tensors);
        return model;
    }

    private static SafetensorsHeader ReadHeader(string path) => DataFileException.ReadFile(path, file => Safetensors.ReadHeader(file, path));

    /// <summary>The file's tensors, read once the header has met <paramref name="needs"/>.</summary>
    private static OrderedDictionary<string, Tensor> ReadChecked(string path, SafetensorsHeader header, IEnumerable<StateCheck.Need> needs)
    {
        StateCheck.Require(path, header, needs);
        return DataFileException.ReadFile(path, file => Safetensors.ReadTensors(file, header));
    }
}
