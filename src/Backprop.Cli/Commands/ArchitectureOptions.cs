using System.CommandLine;
using System.Globalization;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>
/// The options that describe a network, shared by train, eval, predict, export, explain and graph: <c>--arch</c> (any
/// sequential network in PyTorch's constructor syntax), or the MLP shorthand <c>--layers</c> with <c>--activation</c>;
/// and <c>--loss</c>.
/// </summary>
internal sealed class ArchitectureOptions
{
    public Option<string?> Layers { get; } = new("--layers") { Description = "An MLP's layer sizes, inputs first, such as 784,128,10 (the shorthand for Linear layers with --activation between them)" };

    public Option<string> Activation { get; } = new("--activation")
    {
        Description = $"With --layers, the activation between layers: {string.Join(", ", NN.Activation.All.Select(a => a.Name))}",
        DefaultValueFactory = _ => "relu",
    };

    public Option<string?> Arch { get; } = new("--arch")
    {
        Description = "The network in PyTorch's constructor syntax, such as \"Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Flatten(), Linear(1176, 10)\"; " +
                      "or a file holding such text; or a preset: lenet5",
    };

    public Option<string> Loss { get; } = new("--loss")
    {
        Description = $"Loss: {string.Join(", ", LossModule.Names)}",
        DefaultValueFactory = _ => "cross-entropy",
    };

    /// <summary>Adds the options; <paramref name="withArch"/> false for commands that take only the MLP shorthand.</summary>
    public void AddTo(Command command, bool withArch = true)
    {
        if (withArch) command.Options.Add(Arch);
        command.Options.Add(Layers);
        command.Options.Add(Activation);
        command.Options.Add(Loss);
    }

    /// <summary>
    /// The network the options describe, for examples of shape <paramref name="exampleShape"/> (asked only for --arch; an
    /// MLP's inputs are its first size), or null when neither --arch nor --layers is given. --layers becomes architecture
    /// text (Linear layers with the activation between them).
    /// </summary>
    public ModelDescription? Describe(ParseResult parsed, Func<IReadOnlyList<int>> exampleShape)
    {
        var loss = LossModule.Parse(parsed.GetValue(Loss)!);
        if (parsed.GetValue(Arch) is not { } arch)
        {
            return LayerSizes(parsed) is { } sizes ? ModelDescription.Mlp(sizes, NN.Activation.Parse(parsed.GetValue(Activation)!), loss) : null;
        }
        if (parsed.GetValue(Layers) is not null) throw new ArgumentException($"{Arch.Name} and {Layers.Name}: give one of them, not both");
        if (parsed.GetResult(Activation) is { Implicit: false }) throw new ArgumentException($"{Activation.Name} applies to {Layers.Name}; with {Arch.Name}, write the activations as layers");
        return new ModelDescription(ArchText.Resolve(arch), exampleShape(), loss);
    }

    /// <summary>The sizes --layers gives, or null when it is not given.</summary>
    private int[]? LayerSizes(ParseResult parsed) => parsed.GetValue(Layers) is { } layers ? ParseLayers(layers) : null;

    /// <summary>Layer sizes written as <c>784,128,10</c>: at least two, each at least 1.</summary>
    public static int[] ParseLayers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                throw new ArgumentException($"layers: '{text}' is not a list of sizes such as 784,128,10 ('{parts[i]}' is not a size)");
            }
        }
        if (sizes.Length < 2) throw new ArgumentException($"layers: '{text}' needs at least an input and an output size, such as 784,10");
        return sizes;
    }
}
