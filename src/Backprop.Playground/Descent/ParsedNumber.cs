using System.Globalization;

namespace Backprop.Playground.Descent;

/// <summary>A number field's text read as a number, or the one-line reason it cannot be used.</summary>
public readonly record struct ParsedNumber(double Value, string? Error)
{
    public bool IsValid => Error is null;

    /// <summary>
    /// Reads <paramref name="text"/> in the invariant culture; <paramref name="rule"/> returns why an otherwise valid
    /// number is refused, or null. A browser's number field hands over "" for text that is not a number, so an empty
    /// field and garbage get the same message.
    /// </summary>
    public static ParsedNumber Parse(string? text, Func<double, string?>? rule = null)
    {
        if (string.IsNullOrWhiteSpace(text)) return new(double.NaN, "enter a number");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            return new(double.NaN, $"“{text.Trim()}” is not a number");
        if (!double.IsFinite(value)) return new(double.NaN, "too large");
        return new(value, rule?.Invoke(value));
    }
}
