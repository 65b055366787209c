namespace Compare;

/// <summary>
/// What a workload is meant to reach against libtorch (the issues' targets, as bench/RESULTS.md lists them): a ratio of the
/// medians (where lower is better, how many times lower Backprop's figure is) and, for the layer and product figures, a
/// share of the FMA peak. Zero means no target of that kind.
/// </summary>
internal sealed record Target(double Ratio = 0, double PeakShare = 0)
{
    /// <summary>"≥ 1.5×", "≥ 3.0× lower", "≥ 1.0×, ≥ 70 % of peak"…, then whether <paramref name="ratio"/> and <paramref name="share"/> meet it.</summary>
    public string Judge(double ratio, double? share, bool lowerIsBetter)
    {
        var parts = new List<string>();
        if (Ratio > 0) parts.Add($"≥ {Ratio:0.0#}×{(lowerIsBetter ? " lower" : "")}");
        if (PeakShare > 0) parts.Add($"≥ {PeakShare:P0} of peak");
        string verdict = PeakShare > 0 && share is null ? "peak not measured"
            : ratio >= Ratio && (share ?? 0) >= PeakShare ? "met" : "**not met**";
        return $"{string.Join(", ", parts)}: {verdict}";
    }
}
