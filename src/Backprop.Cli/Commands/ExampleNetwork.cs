using System.CommandLine;
using System.Globalization;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>
/// The options <c>explain</c> and <c>graph</c> share: a small network (from <c>--arch</c> with <c>--input-shape</c>, or
/// <c>--layers</c> and <c>--activation</c>, initialised with <c>--seed</c>; or from <c>--model</c>), one example
/// <c>--input</c>, and its <c>--target</c>.
/// </summary>
internal sealed class ExampleNetwork
{
    private readonly ArchitectureOptions architecture = new();

    public ExampleNetwork()
    {
        // The article's cost: the mean squared error, unless the user names another.
        architecture.Loss.DefaultValueFactory = _ => "mse";
    }

    public Option<string?> Layers => architecture.Layers;

    public Option<string?> Model { get; } = new("--model") { Description = "Take the network and its weights from this model file (safetensors)" };

    public Option<string?> Input { get; } = new("--input") { Description = "The example's input values, comma-separated (default: a seeded draw in [0, 1))" };

    public Option<string?> Target { get; } = new("--target") { Description = "The target: values, comma-separated, or for cross-entropy a class index (default: 1 for each output, or class 0)" };

    private readonly ShapeOption inputShape = new();

    public Option<int> Seed { get; } = CheckedOption.Int("--seed", "Seed for the initial weights and the default input", 1);

    public void AddTo(Command command)
    {
        architecture.AddTo(command);
        command.Options.Add(inputShape.Option);
        command.Options.Add(Model);
        command.Options.Add(Input);
        command.Options.Add(Target);
        command.Options.Add(Seed);
    }

    /// <summary>True when the user asked for a network rather than the article's example.</summary>
    public bool IsGiven(ParseResult parsed) => parsed.GetValue(Layers) is not null || parsed.GetValue(architecture.Arch) is not null || parsed.GetValue(Model) is not null;

    public (Sequential Model, ModelDescription Description, Tensor Input, Tensor Target) Create(ParseResult parsed)
    {
        var generator = new Generator((ulong)parsed.GetValue(Seed));
        Func<ModelDescription?> described = () => architecture.Describe(parsed, () => inputShape.Get(parsed, architecture.Arch.Name));
        var (model, description) = parsed.GetValue(Model) is { } path
            ? ModelSource.Load(path, described)
            : described() is { } given ? (ModelSource.Network(architecture.Arch.Name, given.Build(generator), given), given) : throw new ArgumentException("give --arch, --layers or --model");

        int inputs = description.InputShape.NumElements, outputs = description.Outputs;
        var input = parsed.GetValue(Input) is { } inputText
            ? Values("--input", inputText, inputs)
            : Enumerable.Range(0, inputs).Select(_ => Math.Round(generator.NextDouble(), 2)).ToArray();
        double[] target = parsed.GetValue(Target) is { } targetText
            ? Values("--target", targetText, description.Loss is CrossEntropyLoss ? 1 : outputs)
            : description.Loss is CrossEntropyLoss ? [0] : [.. Enumerable.Repeat(1.0, outputs)];
        if (description.Loss is CrossEntropyLoss && ClassIndex.Problem(target[0], outputs) is not null)
        {
            throw new ArgumentException($"--target: {target[0]} is not a class of the {outputs} outputs (0 to {outputs - 1})");
        }
        return (model, description, Tensor.FromArray(Array.ConvertAll(input, v => (float)v), [1, .. description.InputShape.ToArray()]), Tensor.FromArray(Array.ConvertAll(target, v => (float)v)));
    }

    private static double[] Values(string option, string text, int count)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{option}: '{parts[i]}' is not a number");
            }
        }
        if (values.Length != count) throw new ArgumentException($"{option}: {values.Length} values given, the network needs {count}");
        return values;
    }
}
