namespace Backprop;

/// <summary>The element type of a tensor: float32 for training, float64 for exact work and gradient checks.</summary>
public enum DType
{
    /// <summary>32-bit IEEE 754 (C# <c>float</c>); what networks train in.</summary>
    Float32,

    /// <summary>64-bit IEEE 754 (C# <c>double</c>); what gradient checks and worked examples use.</summary>
    Float64,
}
