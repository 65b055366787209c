using System.Text.Json.Serialization;

namespace Backprop.Cli;

/// <summary>Source-generated JSON for predict's rows (no reflection, so the tool stays trimmable).</summary>
[JsonSerializable(typeof(List<Dictionary<string, object>>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class PredictJson : JsonSerializerContext;
