using System.Globalization;

namespace Backprop.NN;

/// <summary>
/// Reads the architecture text: layers in PyTorch's constructor syntax separated by commas at the top level,
/// <c>Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2)</c>. A layer without arguments may drop its parentheses
/// (<c>ReLU</c>); names may carry PyTorch's module prefix (<c>nn.ReLU()</c>, <c>torch.nn.ReLU()</c>); values are
/// Python's integers, floats, True/False, None, quoted strings and tuples; <c>#</c> starts a comment to the end of the line.
/// </summary>
internal sealed class ArchitectureParser
{
    private readonly string text;
    private int position;

    private ArchitectureParser(string text) => this.text = text;

    /// <summary>The layers of <paramref name="text"/>, or an <see cref="ArgumentException"/> saying where it stops making sense.</summary>
    public static IReadOnlyList<LayerCall> Parse(string text)
    {
        var parser = new ArchitectureParser(text);
        var layers = new List<LayerCall>();
        parser.SkipSpace();
        while (!parser.AtEnd)
        {
            layers.Add(parser.Layer());
            parser.SkipSpace();
            if (parser.AtEnd) break;
            parser.Expect(',');
            parser.SkipSpace();
        }
        if (layers.Count == 0) throw new ArgumentException("architecture: no layers (expected text such as 'Linear(784, 10)')");
        return layers;
    }

    private bool AtEnd => position >= text.Length;

    private char Current => text[position];

    private LayerCall Layer()
    {
        string name = Name();
        foreach (var prefix in new[] { "torch.nn.", "nn." })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) name = name[prefix.Length..];
        }
        var positional = new List<ArgumentValue>();
        var keywords = new List<KeyValuePair<string, ArgumentValue>>();
        SkipSpace();
        if (AtEnd || Current != '(') return new LayerCall(name, positional, keywords);
        position++;
        SkipSpace();
        while (!AtEnd && Current != ')')
        {
            int start = position;
            if (char.IsLetter(Current) && TryKeyword(out string? keyword))
            {
                if (keywords.Exists(k => k.Key == keyword)) throw Error($"{name}: argument '{keyword}' given twice", start);
                keywords.Add(new(keyword!, Value()));
            }
            else
            {
                if (keywords.Count > 0) throw Error($"{name}: a positional argument follows a keyword argument", start);
                positional.Add(Value());
            }
            SkipSpace();
            if (!AtEnd && Current == ',')
            {
                position++;
                SkipSpace();
            }
            else if (AtEnd || Current != ')') throw Error($"{name}: expected ',' or ')'", position);
        }
        Expect(')');
        return new LayerCall(name, positional, keywords);
    }

    /// <summary>Reads <c>name =</c> when it is there; otherwise leaves the position where it was.</summary>
    private bool TryKeyword(out string? keyword)
    {
        int start = position;
        keyword = Name();
        SkipSpace();
        if (!AtEnd && Current == '=')
        {
            position++;
            SkipSpace();
            return true;
        }
        position = start;
        keyword = null;
        return false;
    }

    private ArgumentValue Value()
    {
        if (AtEnd) throw Error("expected a value", position);
        char c = Current;
        if (c is '(' or '[') return Tuple(c == '(' ? ')' : ']');
        if (c is '\'' or '"') return Quoted(c);
        if (char.IsDigit(c) || c is '-' or '+' or '.') return Number();
        int start = position;
        string word = Name();
        return word switch
        {
            "True" or "true" => ArgumentValue.Bool(true),
            "False" or "false" => ArgumentValue.Bool(false),
            "None" => ArgumentValue.None,
            _ => throw Error($"'{word}' is not a value (expected a number, True, False, None, a quoted string or a tuple)", start),
        };
    }

    private ArgumentValue Tuple(char close)
    {
        position++;
        var items = new List<ArgumentValue>();
        SkipSpace();
        while (!AtEnd && Current != close)
        {
            items.Add(Value());
            SkipSpace();
            if (!AtEnd && Current == ',')
            {
                position++;
                SkipSpace();
            }
            else if (AtEnd || Current != close) throw Error($"expected ',' or '{close}' in a tuple", position);
        }
        Expect(close);
        return ArgumentValue.Tuple([.. items]);
    }

    private ArgumentValue Quoted(char quote)
    {
        int start = position++;
        int end = text.IndexOf(quote, position);
        if (end < 0) throw Error("a string is not closed", start);
        string value = text[position..end];
        position = end + 1;
        return ArgumentValue.String(value);
    }

    private ArgumentValue Number()
    {
        int start = position;
        while (!AtEnd && (char.IsLetterOrDigit(Current) || Current is '.' or '-' or '+' || Current == '_')) position++;
        string token = text[start..position].Replace("_", "");
        bool isFloat = token.Contains('.') || token.Contains('e') || token.Contains('E');
        if (!isFloat && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer)) return ArgumentValue.Int(integer);
        if (isFloat && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number)) return ArgumentValue.Float(number);
        throw Error($"'{token}' is not a number", start);
    }

    private string Name()
    {
        int start = position;
        while (!AtEnd && (char.IsLetterOrDigit(Current) || Current is '_' or '.')) position++;
        if (position == start) throw Error(AtEnd ? "expected a layer such as 'ReLU()'" : $"unexpected '{Current}'", start);
        return text[start..position];
    }

    private void Expect(char c)
    {
        if (AtEnd || Current != c) throw Error(AtEnd ? $"expected '{c}' but the text ends" : $"expected '{c}', found '{Current}'", position);
        position++;
    }

    private void SkipSpace()
    {
        while (!AtEnd)
        {
            if (char.IsWhiteSpace(Current)) position++;
            else if (Current == '#') { while (!AtEnd && Current != '\n') position++; }
            else break;
        }
    }

    private ArgumentException Error(string problem, int at)
    {
        // Show the line the problem is on, so a long spec or a file points to the place.
        int lineStart = text.LastIndexOf('\n', Math.Max(0, Math.Min(at, text.Length) - 1)) + 1;
        int lineEnd = text.IndexOf('\n', lineStart) is var e and >= 0 ? e : text.Length;
        int line = text[..lineStart].Count(ch => ch == '\n') + 1;
        string where = text.Contains('\n') ? $"line {line}, column {at - lineStart + 1}" : $"column {at + 1}";
        return new ArgumentException($"architecture: {problem} at {where} of '{text[lineStart..lineEnd].Trim()}'");
    }
}
