namespace Backprop.Autograd;

/// <summary>
/// Turns anomaly mode on for this thread until disposed, as <c>torch.autograd.detect_anomaly()</c>:
/// <c>using (new DetectAnomaly()) { ... }</c>. See <see cref="AnomalyMode"/>.
/// </summary>
public sealed class DetectAnomaly : IDisposable
{
    private readonly bool previous = AnomalyMode.IsEnabled;

    /// <summary>Turns anomaly mode on.</summary>
    public DetectAnomaly() => AnomalyMode.IsEnabled = true;

    /// <summary>Restores the mode that was in force before.</summary>
    public void Dispose() => AnomalyMode.IsEnabled = previous;
}
