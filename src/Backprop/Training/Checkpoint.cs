using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Backprop.IO;
using Backprop.NN;
using Backprop.Optim;

namespace Backprop.Training;

/// <summary>
/// Everything a training run needs to continue exactly where it stopped: the model's state dict (any <see cref="Module"/>),
/// the optimizer's state, the
/// epoch and step reached, the shuffling generator's state (none when the data is not shuffled from one), and the run's
/// configuration with its hash, in one
/// safetensors file (<see cref="FileName"/> in the checkpoint directory). It is written to a temporary file, flushed to
/// disk and renamed over the previous checkpoint, so that an interruption at any moment leaves a complete checkpoint:
/// the new one, or the one before.
/// </summary>
public sealed record Checkpoint(int Epoch, int Step, IReadOnlyList<ulong> GeneratorState, IReadOnlyDictionary<string, string> Configuration)
{
    /// <summary>The checkpoint's file name inside its directory.</summary>
    public const string FileName = "checkpoint.safetensors";

    private const string Prefix = "backprop.checkpoint.";
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";

    /// <summary>
    /// The format's version, recorded in the file. Version 2 keys the configuration by the library's names (<c>lr</c>,
    /// <c>batch_size</c>); the files before it, which have no version, keyed it by the command line's flags.
    /// </summary>
    private const string Version = "2";

    /// <summary>The path of the checkpoint file in <paramref name="directory"/>.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>A hash of the configuration (SHA-256 of its sorted key=value lines), recorded with it.</summary>
    public static string Hash(IReadOnlyDictionary<string, string> configuration) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(configuration.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}\n")))));

    /// <summary>Writes this checkpoint with the model's and optimizer's current state into <paramref name="directory"/> (created if needed).</summary>
    public void Save(string directory, Module model, Optimizer optimizer)
    {
        Directory.CreateDirectory(directory);
        // A write interrupted earlier (the process killed) left its temporary file; the checkpoint beside it is whole.
        foreach (var stale in Directory.EnumerateFiles(directory, AtomicFile.TemporaryPattern(FileName))) File.Delete(stale);
        var tensors = model.StateDict().Select(p => KeyValuePair.Create(ModelPrefix + p.Key, p.Value))
            .Concat(optimizer.StateDict().Select(p => KeyValuePair.Create(OptimizerPrefix + p.Key, p.Value)));
        var metadata = new Dictionary<string, string>
        {
            [Prefix + "version"] = Version,
            [Prefix + "epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            [Prefix + "step"] = Step.ToString(CultureInfo.InvariantCulture),
            [Prefix + "generator"] = string.Join(',', GeneratorState.Select(word => word.ToString("x16", CultureInfo.InvariantCulture))),
            [Prefix + "configuration_hash"] = Hash(Configuration),
        };
        foreach (var (key, value) in Configuration) metadata[Prefix + "config." + key] = value;
        Safetensors.Save(PathIn(directory), tensors, metadata, keepFloat64: true);
    }

    /// <summary>
    /// Reads the checkpoint in <paramref name="directory"/>, refuses it when its configuration differs from
    /// <paramref name="configuration"/> (a <see cref="CheckpointMismatchException"/> naming what differs) or when its model
    /// tensors are not the model's (names and shapes, checked from the header before any tensor is read), and restores the
    /// model's weights and the optimizer's state.
    /// </summary>
    public static Checkpoint Resume(string directory, IReadOnlyDictionary<string, string> configuration, Module model, Optimizer optimizer)
    {
        string path = PathIn(directory);
        var (header, checkpoint) = DataFileException.ReadFile(path, file =>
        {
            var header = Safetensors.ReadHeader(file, path);
            return (header, FromMetadata(path, header.Metadata));
        });
        var differences = configuration.Keys.Union(checkpoint.Configuration.Keys).Order(StringComparer.Ordinal)
            .Where(key => configuration.GetValueOrDefault(key) != checkpoint.Configuration.GetValueOrDefault(key))
            .Select(key => new ConfigurationDifference(key, checkpoint.Configuration.GetValueOrDefault(key), configuration.GetValueOrDefault(key)))
            .ToList();
        if (differences.Count > 0) throw new CheckpointMismatchException(path, differences);
        StateCheck.Require(path, header, StateCheck.Of(model), ModelPrefix);

        var tensors = DataFileException.ReadFile(path, file => Safetensors.ReadTensors(file, header));
        model.LoadStateDict(Section(tensors, ModelPrefix));
        optimizer.LoadStateDict(Section(tensors, OptimizerPrefix));
        return checkpoint;
    }

    private static Dictionary<string, Tensor> Section(IEnumerable<KeyValuePair<string, Tensor>> tensors, string prefix) =>
        tensors.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value);

    private static Checkpoint FromMetadata(string path, IReadOnlyDictionary<string, string> metadata)
    {
        // Before version 2 the configuration's keys were the command line's flags, which no library caller can match.
        if (!metadata.ContainsKey(Prefix + "version") && metadata.ContainsKey(Prefix + "epoch"))
        {
            throw new DataFileException(path, "was written by an older Backprop (its run configuration is keyed by command-line flags); start a new run");
        }
        string Get(string key) => metadata.TryGetValue(Prefix + key, out var value) ? value : throw new DataFileException(path, $"is not a Backprop checkpoint (no {Prefix + key} in its metadata)");
        int ParseInt(string key) => int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : throw new DataFileException(path, $"checkpoint {key} '{Get(key)}' is not a count");

        if (Get("version") != Version) throw new DataFileException(path, $"checkpoint version '{Get("version")}' is not {Version}, the one this Backprop reads");
        var words = Get("generator").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var state = new ulong[words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            if (!ulong.TryParse(words[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out state[i])) throw new DataFileException(path, $"checkpoint generator state '{Get("generator")}' is not four hexadecimal words");
        }
        var configuration = metadata.Where(p => p.Key.StartsWith(Prefix + "config.", StringComparison.Ordinal)).ToDictionary(p => p.Key[(Prefix + "config.").Length..], p => p.Value);
        if (Hash(configuration) != Get("configuration_hash")) throw new DataFileException(path, "checkpoint configuration does not match its recorded hash (the file was edited or damaged)");
        return new Checkpoint(ParseInt("epoch"), ParseInt("step"), state, configuration);
    }
}
