using System.Runtime.InteropServices;
using Backprop.IO.Onnx.Proto;
using Backprop.NN;
using Google.Protobuf;

namespace Backprop.IO.Onnx;

/// <summary>Builds an ONNX graph node by node: each method adds its nodes and initializers and returns the name of its output.</summary>
internal sealed class GraphBuilder : IOnnxGraph
{
    private readonly List<NodeProto> nodes = [];
    private readonly List<TensorProto> initializers = [];
    private readonly Dictionary<Tensor, string> written = new(ReferenceEqualityComparer.Instance);

    public string Node(string op, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        nodes.Add(node);
        return output;
    }

    /// <summary>A node with several outputs (Split's), named <paramref name="outputs"/>.</summary>
    public string[] Node(string op, IEnumerable<string> inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        nodes.Add(node);
        return outputs;
    }

    string IOnnxGraph.Node(string op, IEnumerable<string> inputs, string output, params (string Name, object Value)[] attributes) =>
        Node(op, inputs, output, [.. attributes.Select(a => a.Value switch
        {
            float value => NodeAttribute.Float(a.Name, value),
            int value => NodeAttribute.Int(a.Name, value),
            _ => throw new ArgumentException($"onnx export: attribute {a.Name} of {op} is neither a float nor an int"),
        })]);

    /// <summary>The last node's output becomes the graph's output, under <paramref name="name"/>.</summary>
    public void RenameOutput(string from, string name)
    {
        foreach (var node in nodes)
        {
            for (int k = 0; k < node.Output.Count; k++) if (node.Output[k] == from) node.Output[k] = name;
            for (int k = 0; k < node.Input.Count; k++) if (node.Input[k] == from) node.Input[k] = name;
        }
    }

    /// <summary>
    /// The graph with input <c>input</c> (float32, or int64 token indices when <paramref name="tokens"/>) and float32 output
    /// <c>output</c>, of the given batch-of-one shapes; an axis whose entry in <paramref name="inputAxes"/> or
    /// <paramref name="outputAxes"/> is not null is that symbol (<c>batch</c>, <c>sequence</c>), an empty one unknown.
    /// </summary>
    public GraphProto Build(string name, Shape input, IReadOnlyList<string?> inputAxes, bool tokens, Shape output, IReadOnlyList<string?> outputAxes)
    {
        var graph = new GraphProto { Name = name };
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(initializers);
        graph.Input.Add(Value("input", tokens ? TensorProto.Types.DataType.Int64 : TensorProto.Types.DataType.Float, input, inputAxes));
        graph.Output.Add(Value("output", TensorProto.Types.DataType.Float, output, outputAxes));
        return graph;
    }

    /// <summary>A value of <paramref name="type"/> and <paramref name="shape"/>, its axes symbolic as <paramref name="axes"/> says.</summary>
    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, Shape shape, IReadOnlyList<string?> axes)
    {
        var dims = new TensorShapeProto();
        for (int i = 0; i < shape.Rank; i++)
        {
            dims.Dim.Add(axes[i] is { } symbol
                ? (symbol.Length == 0 ? new TensorShapeProto.Types.Dimension() : new TensorShapeProto.Types.Dimension { DimParam = symbol })
                : new TensorShapeProto.Types.Dimension { DimValue = shape[i] });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = dims } },
        };
    }

    /// <summary>
    /// A float32 initializer with the tensor's shape and values, little-endian in raw_data. A tensor written before (a
    /// weight tied between two modules) is not written again: its first name is returned.
    /// </summary>
    public string Initializer(string name, Tensor tensor)
    {
        if (written.TryGetValue(tensor, out var first)) return first;
        written[tensor] = name;
        var values = tensor.ToFloatArray();
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        proto.Dims.AddRange(tensor.Shape.ToArray().Select(d => (long)d));
        initializers.Add(proto);
        return name;
    }

    /// <summary>
    /// A one-axis int64 initializer (a Reshape's target shape, a Slice's bounds), or with <paramref name="scalar"/> a 0-d one
    /// of a single value (Trilu's k), little-endian in raw_data.
    /// </summary>
    public string Int64Initializer(string name, long[] values, bool scalar = false)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        if (!scalar) proto.Dims.Add(values.Length);
        initializers.Add(proto);
        return name;
    }

    /// <summary>A float32 scalar initializer.</summary>
    public string Constant(string name, float value) => Initializer(name, Tensor.Scalar(value, DType.Float32));
}
