using System.Runtime.InteropServices.JavaScript;

namespace Backprop.Playground.Interop;

/// <summary>
/// The drawing functions of wwwroot/js/playground.js, called synchronously with views of .NET's arrays (no JSON): the
/// heat maps of every neuron are one buffer per frame, and marshalling them as JSON would cost more than the training.
/// Float arrays go as their bytes (the interop has no float32 view), which the script reads as a Float32Array.
/// </summary>
internal static partial class PageScripts
{
    public const string Module = "playground";

    /// <summary>Loads the module once, before the first call.</summary>
    public static Task LoadAsync() => JSHost.ImportAsync(Module, "../js/playground.js");

    [JSImport("bindElements", Module)]
    public static partial void BindElements();

    [JSImport("drawMaps", Module)]
    public static partial void DrawMaps([JSMarshalAs<JSType.MemoryView>] Span<byte> values, int resolution, [JSMarshalAs<JSType.Array<JSType.Number>>] int[] layerSizes, string outputMode, bool discretize);

    [JSImport("drawLinks", Module)]
    public static partial void DrawLinks([JSMarshalAs<JSType.MemoryView>] Span<byte> values, bool gradientView);

    [JSImport("drawBiases", Module)]
    public static partial void DrawBiases([JSMarshalAs<JSType.MemoryView>] Span<byte> values);

    [JSImport("drawPoints", Module)]
    public static partial void DrawPoints(string canvasId, [JSMarshalAs<JSType.MemoryView>] Span<byte> values, double extent, bool regression);

    [JSImport("drawChart", Module)]
    public static partial void DrawChart(string canvasId, [JSMarshalAs<JSType.MemoryView>] Span<byte> train, [JSMarshalAs<JSType.MemoryView>] Span<byte> test);

    [JSImport("stopLoop", Module)]
    public static partial void StopLoop();

    [JSImport("download", Module)]
    public static partial void Download(string name, [JSMarshalAs<JSType.MemoryView>] Span<byte> bytes, string type);
}
