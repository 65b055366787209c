using System.CommandLine;

namespace Backprop.Cli;

/// <summary>
/// <c>--header auto|yes|no</c>, for the commands that read CSV: whether a file's first row holds column names. <c>auto</c>
/// detects it as CSV readers commonly do: a first row whose cells are all numbers is data.
/// </summary>
internal sealed class HeaderOption
{
    public Option<string> Option { get; } = CheckedOption.Choice("--header",
        "CSV only: whether the first row holds column names (auto: unless all of it is numbers)", "auto", ["auto", "yes", "no"]);

    /// <summary>What the reader is told: true or false, or null to detect it.</summary>
    public bool? Get(ParseResult parsed) => parsed.GetValue(Option) switch
    {
        "yes" => true,
        "no" => false,
        _ => null,
    };
}
