using Backprop.IO.Onnx.Proto;

namespace Backprop.IO.Onnx;

/// <summary>ONNX node attributes, each with its type set as the format requires.</summary>
internal static class NodeAttribute
{
    public static AttributeProto Int(string name, long value) => new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    public static AttributeProto Float(string name, float value) => new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(Google.Protobuf.ByteString.CopyFromUtf8));
        return attribute;
    }

    /// <summary>A (height, width) pair as ONNX's two spatial values.</summary>
    public static AttributeProto Pair(string name, Size2d size) => Ints(name, size.Height, size.Width);
}
