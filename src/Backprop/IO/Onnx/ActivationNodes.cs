using Backprop.IO.Onnx.Proto;
using Backprop.NN;

namespace Backprop.IO.Onnx;

/// <summary>
/// The activation layers as ONNX ops: ReLU, sigmoid, tanh, softplus and identity as themselves, leaky ReLU and ELU with the
/// module's slope and alpha, GELU (exact) as x·(1 + erf(x/√2))/2, SiLU as x·σ(x), the binary step as a comparison.
/// </summary>
internal static class ActivationNodes
{
    public static string Add(GraphBuilder graph, string x, int index, ActivationModule module)
    {
        var activation = module.Activation;
        string name = $"{ActivationNames.Name(activation).Replace('-', '_')}_{index}";
        switch (activation)
        {
            case Activation.Identity: return graph.Node("Identity", [x], name);
            case Activation.ReLU: return graph.Node("Relu", [x], name);
            case Activation.Sigmoid: return graph.Node("Sigmoid", [x], name);
            case Activation.Tanh: return graph.Node("Tanh", [x], name);
            case Activation.Softplus: return graph.Node("Softplus", [x], name);
            case Activation.LeakyReLU:
                // A plain ActivationModule(LeakyReLU) applies PyTorch's default slope, as the LeakyReLU module does unless told.
                return graph.Node("LeakyRelu", [x], name, NodeAttribute.Float("alpha", (float)((module as LeakyReLU)?.NegativeSlope ?? 0.01)));
            case Activation.ELU:
                return graph.Node("Elu", [x], name, NodeAttribute.Float("alpha", (float)((module as ELU)?.Alpha ?? 1.0)));
            case Activation.SiLU: return graph.Node("Mul", [x, graph.Node("Sigmoid", [x], $"{name}_sigmoid")], name);
            case Activation.GELU:
            {
                // Exact GELU, x·Φ(x) = x·(1 + erf(x/√2))/2, from ops opset 17 has (Gelu itself came in opset 20).
                var erf = graph.Node("Erf", [graph.Node("Div", [x, graph.Constant($"{name}_sqrt2", MathF.Sqrt(2))], $"{name}_scaled")], $"{name}_erf");
                var plusOne = graph.Node("Add", [erf, graph.Constant($"{name}_one", 1)], $"{name}_plus_one");
                return graph.Node("Mul", [graph.Node("Mul", [x, plusOne], $"{name}_product"), graph.Constant($"{name}_half", 0.5f)], name);
            }
            case Activation.BinaryStep:
            {
                var atLeastZero = graph.Node("GreaterOrEqual", [x, graph.Constant($"{name}_zero", 0)], $"{name}_compare");
                return graph.Node("Cast", [atLeastZero], name, NodeAttribute.Int("to", (int)TensorProto.Types.DataType.Float));
            }
            default: throw new ArgumentException($"onnx export: activation {activation} has no ONNX equivalent here");
        }
    }
}
