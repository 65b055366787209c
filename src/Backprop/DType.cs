namespace Backprop;

/// <summary>
/// The element type of a tensor: float32 for training, float64 for exact work and gradient checks, int64 for class
/// indices, arg-max positions and counters (PyTorch's <c>torch.long</c>), which never carry gradients.
/// </summary>
public enum DType
{
    /// <summary>32-bit IEEE 754 (C# <c>float</c>); what networks train in.</summary>
    Float32,

    /// <summary>64-bit IEEE 754 (C# <c>double</c>); what gradient checks and worked examples use.</summary>
    Float64,

    /// <summary>64-bit signed integers (C# <c>long</c>, PyTorch's <c>torch.int64</c>): class indices, positions, counts.</summary>
    Int64,
}
