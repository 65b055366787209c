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

    public string Node(string op, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        nodes.Add(node);
        return output;
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

    /// <summary>The graph with input <c>input</c> and output <c>output</c>, each [batch, …] after the given batch-of-one shapes.</summary>
    public GraphProto Build(string name, Shape input, Shape output)
    {
        var graph = new GraphProto { Name = name };
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(initializers);
        graph.Input.Add(Value("input", input));
        graph.Output.Add(Value("output", output));
        return graph;
    }

    /// <summary>A float32 value of <paramref name="shape"/> whose first (batch) dimension is the symbol <c>batch</c>.</summary>
    private static ValueInfoProto Value(string name, Shape shape)
    {
        var dims = new TensorShapeProto();
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int d in shape.ToArray()[1..]) dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = dims } },
        };
    }

    /// <summary>A float32 initializer with the tensor's shape and values, little-endian in raw_data.</summary>
    public string Initializer(string name, Tensor tensor)
    {
        var values = tensor.ToFloatArray();
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        proto.Dims.AddRange(tensor.Shape.ToArray().Select(d => (long)d));
        initializers.Add(proto);
        return name;
    }

    /// <summary>A one-axis int64 initializer (a Reshape's target shape), little-endian in raw_data.</summary>
    public string Int64Initializer(string name, long[] values)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        proto.Dims.Add(values.Length);
        initializers.Add(proto);
        return name;
    }

    /// <summary>A float32 scalar initializer.</summary>
    public string Constant(string name, float value) => Initializer(name, Tensor.Scalar(value, DType.Float32));
}
