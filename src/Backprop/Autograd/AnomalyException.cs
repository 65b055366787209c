namespace Backprop.Autograd;

/// <summary>A NaN or an infinity found by <see cref="AnomalyMode"/>: the message names the op, where it was created, and whether it was forward or backward.</summary>
public sealed class AnomalyException(string message) : InvalidOperationException(message);
