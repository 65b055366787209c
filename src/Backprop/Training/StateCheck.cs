using Backprop.IO;
using Backprop.NN;

namespace Backprop.Training;

/// <summary>
/// Checks a safetensors file's tensors, as its header lists them, against the state dict a model needs (each parameter's
/// and persistent buffer's name and shape) before any tensor is read and before the model is built, so that a file is
/// refused for what it holds rather than after allocating what its metadata declares. Dtypes need no check here: the
/// header reader refuses those Backprop does not read, and every other converts to the model's, as
/// <see cref="Module.LoadStateDict"/> (and PyTorch's <c>load_state_dict</c>) converts it.
/// </summary>
internal static class StateCheck
{
    /// <summary>One tensor a model needs: its state-dict name, its shape, and what needs it ("Conv2d(1, 6, 5)", "the model").</summary>
    public readonly record struct Need(string Name, Shape Shape, string Owner);

    /// <summary>What an architecture's layers need, each named by its layer.</summary>
    public static IEnumerable<Need> Of(Architecture architecture) =>
        architecture.NamedStateShapes().Select(entry => new Need(entry.Name, entry.Shape, entry.Layer.ToString()));

    /// <summary>What a built model needs: its state dict.</summary>
    public static IEnumerable<Need> Of(Module model) => model.StateDict().Select(entry => new Need(entry.Key, entry.Value.Shape, "the model"));

    /// <summary>
    /// Throws a <see cref="DataFileException"/> naming the first need that the file's tensors under <paramref name="prefix"/>
    /// do not meet (missing, or of another shape), or else the first of those tensors that nothing needs.
    /// </summary>
    public static void Require(string path, SafetensorsHeader header, IEnumerable<Need> needs, string prefix = "")
    {
        var entries = header.Entries.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var byName = entries.ToDictionary(e => e.Name[prefix.Length..]);
        var needed = new HashSet<string>();
        foreach (var need in needs)
        {
            needed.Add(need.Name);
            if (!byName.TryGetValue(need.Name, out var entry))
            {
                throw new DataFileException(path, $"has no tensor {prefix}{need.Name}, which {need.Owner} needs (shape {LayerCatalog.Format(need.Shape)})");
            }
            if (entry.Shape != need.Shape)
            {
                throw new DataFileException(path, $"{entry.Name} has shape {LayerCatalog.Format(entry.Shape)} in the file, {need.Owner} needs {LayerCatalog.Format(need.Shape)}");
            }
        }
        if (entries.FirstOrDefault(e => !needed.Contains(e.Name[prefix.Length..])) is { } extra)
        {
            throw new DataFileException(path, $"{extra.Name} is in the file, but the model has no such parameter or buffer");
        }
    }
}
