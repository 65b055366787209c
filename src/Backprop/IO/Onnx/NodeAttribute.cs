using Backprop.IO.Onnx.Proto;

namespace Backprop.IO.Onnx;

/// <summary>ONNX node attributes, each with its type set as the format requires.</summary>
internal static class NodeAttribute
{
    public static AttributeProto Int(string name, long value) => new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    public static AttributeProto Float(string name, float value) => new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };
}
