using System.CommandLine;
using System.Globalization;

namespace Backprop.Cli;

/// <summary>
/// Numeric options that parse and check their own values, so every bad value gets one line naming the option,
/// what was given and what is allowed.
/// </summary>
internal static class CheckedOption
{
    /// <summary>A finite floating-point option; <paramref name="check"/> returns what is wrong with a value, or null.</summary>
    public static Option<double> Double(string name, string description, double defaultValue, Func<double, string?>? check = null) =>
        Create(name, description, defaultValue, check, "a finite number",
            (string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value));

    /// <summary>
    /// A finite floating-point option without a fixed default: null when not given, for options whose default depends on
    /// another option (such as --momentum on --optimizer).
    /// </summary>
    public static Option<double?> OptionalDouble(string name, string description, Func<double, string?> check) =>
        Create<double?>(name, description, null, v => check(v!.Value), "a finite number",
            (string text, out double? value) =>
            {
                bool parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number);
                value = number;
                return parsed;
            });

    /// <summary>An integer option; <paramref name="check"/> returns what is wrong with a value, or null.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, Func<int, string?>? check = null) =>
        Create(name, description, defaultValue, check, "a whole number",
            (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    /// <summary>A text option limited to <paramref name="choices"/>.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, IReadOnlyList<string> choices) =>
        Create(name, $"{description}: {string.Join(", ", choices)}", defaultValue, null, $"one of {string.Join(", ", choices)}",
            (string text, out string value) => choices.Contains(value = text));

    private delegate bool TryParse<T>(string text, out T value);

    private static Option<T> Create<T>(string name, string description, T defaultValue, Func<T, string?>? check, string kind, TryParse<T> tryParse)
    {
        return new Option<T>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0) return defaultValue;
                string text = result.Tokens[0].Value;
                if (!tryParse(text, out var value))
                {
                    result.AddError($"{name} must be {kind}, got '{text}'");
                    return defaultValue;
                }
                if (check?.Invoke(value) is { } problem) result.AddError($"{name} {problem}, got {text}");
                return value;
            },
        };
    }
}
