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
    /// <summary>
    /// One tensor a model needs: its state-dict name, its shape, and what needs it ("Conv2d(1, 6, 5)", "the model"); for a
    /// tensor that is another's under a second name (a tied weight), that other's name: either name in the file meets both.
    /// </summary>
    public readonly record struct Need(string Name, Shape Shape, string Owner, string? TiedTo = null);

    /// <summary>What an architecture's layers need, each named by its layer.</summary>
    public static IEnumerable<Need> Of(Architecture architecture) =>
        architecture.NamedStateShapes().Select(entry => new Need(entry.Name, entry.Shape, entry.Layer.ToString(), entry.TiedTo));

    /// <summary>What a built model needs: its state dict, a tensor listed twice being tied to its first name.</summary>
    public static IEnumerable<Need> Of(Module model)
    {
        var first = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, tensor) in model.NamedState())
        {
            yield return new Need(name, tensor.Shape, "the model", first.TryGetValue(tensor, out var tiedTo) ? tiedTo : null);
            first.TryAdd(tensor, name);
        }
    }

    /// <summary>
    /// Throws a <see cref="DataFileException"/> naming the first need that the file's tensors under <paramref name="prefix"/>
    /// do not meet (missing, or of another shape), or else the first of those tensors that nothing needs.
    /// </summary>
    public static void Require(string path, SafetensorsHeader header, IEnumerable<Need> needs, string prefix = "")
    {
        var entries = header.Entries.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var byName = entries.ToDictionary(e => e.Name[prefix.Length..]);
        var needed = new HashSet<string>();
        var list = needs.ToList();
        foreach (var need in list)
        {
            needed.Add(need.Name);
            // A tied pair is met by either name (torch.save writes both; a hand-made file may hold one).
            string? partner = need.TiedTo ?? list.FirstOrDefault(other => other.TiedTo == need.Name).Name;
            if (!byName.TryGetValue(need.Name, out var entry) && partner is not null && byName.ContainsKey(partner)) continue;
            if (entry is null)
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
