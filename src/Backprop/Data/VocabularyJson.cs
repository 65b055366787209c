using System.Text.Json.Serialization;

namespace Backprop.Data;

/// <summary>Source-generated JSON for a vocabulary (reflection-free, so the library stays AOT-compatible).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class VocabularyJson : JsonSerializerContext;
