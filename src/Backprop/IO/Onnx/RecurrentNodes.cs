using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.IO.Onnx;

/// <summary>
/// RNN, LSTM and GRU as ONNX's RNN, LSTM and GRU ops, one node per stacked layer (forward direction, zero initial state),
/// each layer's output sequence [L, 1, N, H] squeezed to [L, N, H] for the next; a batch-first layer is transposed to
/// [L, N, features] and back around them. ONNX orders the gate blocks of W [gates·H, in], R [gates·H, H] and B differently
/// from PyTorch: LSTM's (i, f, g, o) become (i, o, f, c) and GRU's (r, z, n) become (z, r, h); PyTorch's GRU applies the
/// reset gate to W_hn·h + b_hn, which is ONNX's linear_before_reset=1. Inter-layer dropout does nothing in inference.
/// </summary>
internal static class RecurrentNodes
{
    /// <summary>Layer <paramref name="layer"/>'s nodes after the sequences <paramref name="x"/>, the last output named <paramref name="name"/>.</summary>
    public static string Add(GraphBuilder graph, string x, string path, string name, RecurrentLayer layer)
    {
        var parameters = layer.NamedParameters().ToDictionary();
        string sequence = layer.BatchFirst ? graph.Node("Transpose", [x], $"{name}_time_first", NodeAttribute.Ints("perm", 1, 0, 2)) : x;
        for (int k = 0; k < layer.NumLayers; k++)
        {
            var inputs = new List<string>
            {
                sequence,
                graph.Initializer($"{name}_l{k}_W", Reordered(layer, parameters[$"weight_ih_l{k}"])),
                graph.Initializer($"{name}_l{k}_R", Reordered(layer, parameters[$"weight_hh_l{k}"])),
            };
            if (layer.Bias)
            {
                inputs.Add(graph.Initializer($"{name}_l{k}_B", Shaping.Cat([Reordered(layer, parameters[$"bias_ih_l{k}"]), Reordered(layer, parameters[$"bias_hh_l{k}"])], 1)));
            }
            // ONNX's op has the layer's name: RNN, LSTM or GRU.
            string output = graph.Node(layer.GetType().Name, inputs, $"{name}_l{k}", Attributes(layer));
            bool last = k == layer.NumLayers - 1;
            sequence = graph.Node("Squeeze", [output, graph.Int64Initializer($"{name}_l{k}_direction_axis", [1])], last && !layer.BatchFirst ? name : $"{name}_l{k}_sequence");
        }
        return layer.BatchFirst ? graph.Node("Transpose", [sequence], name, NodeAttribute.Ints("perm", 1, 0, 2)) : sequence;
    }

    /// <summary>hidden_size; GRU's linear_before_reset; RNN's activation (ONNX's default is Tanh, written anyway).</summary>
    private static Proto.AttributeProto[] Attributes(RecurrentLayer layer) => layer switch
    {
        GRU => [NodeAttribute.Int("hidden_size", layer.HiddenSize), NodeAttribute.Int("linear_before_reset", 1)],
        RNN rnn => [NodeAttribute.Int("hidden_size", layer.HiddenSize), NodeAttribute.Strings("activations", rnn.Nonlinearity == "relu" ? "Relu" : "Tanh")],
        _ => [NodeAttribute.Int("hidden_size", layer.HiddenSize)],
    };

    /// <summary>A weight [gates·H, …] or bias [gates·H] with its gate blocks in ONNX's order and a leading direction axis of 1.</summary>
    private static Tensor Reordered(RecurrentLayer layer, Tensor parameter)
    {
        int[] order = layer switch
        {
            LSTM => [0, 3, 1, 2], // i, f, g, o → i, o, f, c
            GRU => [1, 0, 2],     // r, z, n → z, r, h
            _ => [0],
        };
        int h = layer.HiddenSize;
        using var _ = new NoGrad();
        return Shaping.Cat([.. order.Select(gate => parameter.Slice(0, gate * h, (gate + 1) * h))], 0).Unsqueeze(0);
    }
}
