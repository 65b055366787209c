using System.Runtime.Intrinsics;

namespace Backprop;

/// <summary>
/// The vector width the kernels take in this process: the widest the JIT reports accelerated (Vector512, then Vector256,
/// then Vector128, else scalar code). Each kernel tests the same properties, so this name is the path they all take.
/// The runtime's own switches force a narrower path, which is how the tests run every kernel on each path on one machine:
/// <c>DOTNET_EnableAVX512=0</c> → Vector256, <c>DOTNET_EnableAVX=0</c> → Vector128 (SSE4.2, no FMA),
/// <c>DOTNET_EnableHWIntrinsic=0</c> → scalar. (.NET 10 reads <c>DOTNET_EnableAVX512</c>; the older
/// <c>DOTNET_EnableAVX512F</c> is ignored, silently.)
/// </summary>
public static class VectorPath
{
    /// <summary>"Vector512", "Vector256", "Vector128" or "scalar".</summary>
    public static string Name =>
        Vector512.IsHardwareAccelerated ? "Vector512"
        : Vector256.IsHardwareAccelerated ? "Vector256"
        : Vector128.IsHardwareAccelerated ? "Vector128"
        : "scalar";
}
