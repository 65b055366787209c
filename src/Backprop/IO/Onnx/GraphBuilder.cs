using Backprop.NN;
using Backprop.IO.Onnx.Proto;
using Google.Protobuf;

namespace Backprop.IO.Onnx;

/// <summary>Builds an ONNX graph node by node: each method adds its nodes and initializers and returns the name of its output.</summary>
internal sealed class GraphBuilder
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

    /// <summary>y = x·Wᵀ + b: Gemm with transB, the weight kept [out, in] as in the state dict.</summary>
    public string Gemm(string input, int index, Linear linear)
    {
        var inputs = new List<string> { input, Initializer($"{index}.weight", linear.Weight) };
        if (linear.Bias is { } bias) inputs.Add(Initializer($"{index}.bias", bias));
        return Node("Gemm", inputs, $"linear_{index}", NodeAttribute.Int("transB", 1));
    }

    public string Activation(string x, int index, Activation activation)
    {
        string name = $"{ActivationNames.Name(activation).Replace('-', '_')}_{index}";
        switch (activation)
        {
            case NN.Activation.Identity: return Node("Identity", [x], name);
            case NN.Activation.ReLU: return Node("Relu", [x], name);
            case NN.Activation.Sigmoid: return Node("Sigmoid", [x], name);
            case NN.Activation.Tanh: return Node("Tanh", [x], name);
            case NN.Activation.Softplus: return Node("Softplus", [x], name);
            case NN.Activation.LeakyReLU: return Node("LeakyRelu", [x], name, NodeAttribute.Float("alpha", 0.01f));
            case NN.Activation.ELU: return Node("Elu", [x], name, NodeAttribute.Float("alpha", 1f));
            case NN.Activation.SiLU: return Node("Mul", [x, Node("Sigmoid", [x], $"{name}_sigmoid")], name);
            case NN.Activation.GELU:
            {
                // Exact GELU, x·Φ(x) = x·(1 + erf(x/√2))/2, from ops opset 17 has (Gelu itself came in opset 20).
                var erf = Node("Erf", [Node("Div", [x, Constant($"{name}_sqrt2", MathF.Sqrt(2))], $"{name}_scaled")], $"{name}_erf");
                var plusOne = Node("Add", [erf, Constant($"{name}_one", 1)], $"{name}_plus_one");
                return Node("Mul", [Node("Mul", [x, plusOne], $"{name}_product"), Constant($"{name}_half", 0.5f)], name);
            }
            case NN.Activation.BinaryStep:
            {
                var atLeastZero = Node("GreaterOrEqual", [x, Constant($"{name}_zero", 0)], $"{name}_compare");
                return Node("Cast", [atLeastZero], name, NodeAttribute.Int("to", (int)TensorProto.Types.DataType.Float));
            }
            default: throw new ArgumentException($"onnx export: activation {activation} has no ONNX equivalent here");
        }
    }

    /// <summary>The last node's output becomes the graph's output, under <paramref name="name"/>.</summary>
    public void RenameOutput(string from, string name)
    {
        foreach (var node in nodes)
        {
            for (int k = 0; k < node.Output.Count; k++) if (node.Output[k] == from) node.Output[k] = name;
            for (int k = 0; k < node.Input.Count; k++) if (node.Input[k] == from) node.Input[k] = name;
        }
    }

    public GraphProto Build(string name, int inputs, int outputs)
    {
        var graph = new GraphProto { Name = name };
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(initializers);
        graph.Input.Add(Value("input", inputs));
        graph.Output.Add(Value("output", outputs));
        return graph;
    }

    /// <summary>A float32 [batch, features] value with a symbolic batch dimension.</summary>
    private static ValueInfoProto Value(string name, int features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>A float32 initializer with the tensor's shape and values, little-endian in raw_data.</summary>
    private string Initializer(string name, Tensor tensor)
    {
        var values = tensor.ToFloatArray();
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        proto.Dims.AddRange(tensor.Shape.Select(d => (long)d));
        initializers.Add(proto);
        return name;
    }

    private string Constant(string name, float value) => Initializer(name, Tensor.Scalar(value, DType.Float32));
}
