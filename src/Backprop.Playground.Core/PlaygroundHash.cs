using System.Globalization;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Playground.Core;

/// <summary>
/// The settings as a URL fragment, <c>activation=tanh&amp;batchSize=10&amp;dataset=circle&amp;…</c>, with TensorFlow
/// Playground's keys where it has one (so its links open here), so that a link reproduces the page.
/// </summary>
public static class PlaygroundHash
{
    /// <summary>The fragment (without '#') that <see cref="Parse"/> reads back into the same settings.</summary>
    public static string Format(PlaygroundSettings settings)
    {
        var pairs = new List<(string, string)>
        {
            ("activation", FormatActivations(settings.Activations)),
            ("batchSize", Number(settings.BatchSize)),
            ("dataset", settings.Dataset?.UrlKey() ?? "custom"),
            ("learningRate", Number(settings.LearningRate)),
            ("regularization", settings.Regularization?.ToString() ?? "none"),
            ("regularizationRate", Number(settings.RegularizationRate)),
            ("noise", Number(settings.Noise)),
            ("networkShape", string.Join(',', settings.NetworkShape)),
            ("seed", settings.Seed.ToString(CultureInfo.InvariantCulture)),
            ("showTestData", Bool(settings.ShowTestData)),
            ("discretize", Bool(settings.Discretize)),
            ("percTrainData", Number(settings.PercTrainData)),
        };
        pairs.AddRange(InputFeatures.All.Select(f => (f.Key(), Bool(settings.Features.Contains(f)))));
        pairs.Add(("problem", settings.Problem == PlaygroundProblem.Regression ? "regression" : "classification"));
        pairs.Add(("loss", settings.Loss.Name));
        pairs.Add(("classes", Number(settings.Classes)));
        pairs.Add(("gradients", Bool(settings.GradientView)));
        return string.Join('&', pairs.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
    }

    /// <summary>
    /// The settings a fragment (with or without its '#') describes, starting from <paramref name="defaults"/>. Unknown keys
    /// are ignored, as TensorFlow Playground does; a value that cannot be read, or settings that do not fit together, are
    /// reported in <paramref name="problems"/> and leave the defaults in place.
    /// </summary>
    public static PlaygroundSettings Parse(string fragment, PlaygroundSettings defaults, out IReadOnlyList<string> problems)
    {
        var values = fragment.TrimStart('#').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0])
            .ToDictionary(group => group.Key, group => Uri.UnescapeDataString(group.Last()[1]));
        var found = new List<string>();
        var settings = defaults;

        void Read(string key, Func<string, PlaygroundSettings> apply)
        {
            if (!values.TryGetValue(key, out var text)) return;
            try { settings = apply(text); }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                found.Add($"{key}={text} ignored: {e.Message}");
            }
        }

        Read("problem", t => settings with { Problem = t switch { "classification" => PlaygroundProblem.Classification, "regression" => PlaygroundProblem.Regression, _ => throw new FormatException("expected classification or regression") } });
        // TensorFlow Playground keeps the regression data set under its own key.
        var datasetKey = settings.Problem == PlaygroundProblem.Regression && values.ContainsKey("regDataset") ? "regDataset" : "dataset";
        Read(datasetKey, t => settings with { Dataset = t == "custom" ? null : DatasetKeys.Parse(t) });
        if (settings.Dataset is { } dataset) settings = settings with { Problem = dataset.IsRegression() ? PlaygroundProblem.Regression : PlaygroundProblem.Classification };
        else if (!values.ContainsKey(datasetKey) && settings.Problem != defaults.Problem) settings = settings with { Dataset = settings.Problem == PlaygroundProblem.Regression ? PlaneDataset.Plane : PlaneDataset.Circle };
        Read("batchSize", t => settings with { BatchSize = Int(t) });
        Read("learningRate", t => settings with { LearningRate = Double(t) });
        Read("regularization", t => settings with { Regularization = t == "none" ? null : Enum.Parse<PenaltyKind>(t) });
        Read("regularizationRate", t => settings with { RegularizationRate = Double(t) });
        Read("noise", t => settings with { Noise = Int(t) });
        Read("percTrainData", t => settings with { PercTrainData = Int(t) });
        Read("seed", t => settings with { Seed = ulong.Parse(t, CultureInfo.InvariantCulture) });
        Read("showTestData", t => settings with { ShowTestData = bool.Parse(t) });
        Read("discretize", t => settings with { Discretize = bool.Parse(t) });
        Read("gradients", t => settings with { GradientView = bool.Parse(t) });
        Read("loss", t => settings with { Loss = LossModule.Parse(t) });
        Read("classes", t => settings with { Classes = Int(t) });
        Read("networkShape", t => settings with { NetworkShape = t.Length == 0 ? [] : [.. t.Split(',').Select(Int)] });
        Read("activation", t => settings with { Activations = ParseActivations(t, settings.NetworkShape.Count) });
        if (settings.Activations.Count != settings.NetworkShape.Count)
            settings = settings with { Activations = [.. settings.NetworkShape.Select(_ => settings.Activations.Count > 0 ? settings.Activations[0] : Activation.Tanh)] };
        if (InputFeatures.All.Any(f => values.ContainsKey(f.Key())))
        {
            var features = InputFeatures.All.Where(f => values.TryGetValue(f.Key(), out var on) ? on == "true" : settings.Features.Contains(f)).ToList();
            if (features.Count > 0) settings = settings with { Features = features };
            else found.Add("no input feature is on: x₁ and x₂ kept");
        }
        if (settings.Problems() is { } problem)
        {
            found.Add($"{problem}: the defaults kept");
            settings = defaults;
        }
        problems = found;
        return settings;
    }

    /// <summary>One activation for every hidden layer ("tanh"; tanh when there is none), or one each ("tanh,relu,linear").</summary>
    private static string FormatActivations(IReadOnlyList<Activation> activations) =>
        activations.Distinct().Count() <= 1
            ? PlaygroundActivations.Key(activations.Count > 0 ? activations[0] : Activation.Tanh)
            : string.Join(',', activations.Select(PlaygroundActivations.Key));

    private static IReadOnlyList<Activation> ParseActivations(string text, int layers)
    {
        var activations = text.Split(',').Select(PlaygroundActivations.Parse).ToList();
        return activations.Count == 1 ? [.. Enumerable.Repeat(activations[0], layers)] : activations;
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double Double(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
