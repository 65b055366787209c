using Backprop.IO.Onnx;
using Backprop.IO.Onnx.Proto;
using Backprop.NN;
using Google.Protobuf;

namespace Backprop.IO;

/// <summary>
/// Writes a <see cref="Sequential"/> network or a <see cref="GPT"/> as an ONNX model (opset 17, IR version 8) for
/// inference, which ONNX Runtime and the rest of the field run: input <c>input</c> [batch, …the example's shape] with a
/// symbolic batch dimension, output <c>output</c> [batch, …]. Linear layers become Gemm (the weight kept [out, in] under its
/// state-dict name); Conv2d Conv (strides, explicit pads for 'same', dilations, groups, bias optional); MaxPool2d MaxPool;
/// AvgPool2d AveragePool (with its count_include_pad); AdaptiveAvgPool2d GlobalAveragePool for a 1×1 output, else
/// AveragePool where the output size divides the input's; BatchNorm1d/2d BatchNormalization on the running statistics;
/// Flatten ONNX's Flatten, or a Reshape for other axes; the activations (LeakyReLU's slope and ELU's alpha as the modules
/// have them), Softmax and LogSoftmax their ops; Dropout and Dropout2d nothing. Sequence models: a network that starts with
/// an Embedding, and a GPT, take int64 token indices [batch, sequence] with the sequence's length symbolic too (where the
/// network takes any length); Embedding becomes Gather, LayerNorm LayerNormalization, RNN/LSTM/GRU ONNX's RNN/LSTM/GRU
/// (gate blocks reordered), MultiheadAttention self-attention (MatMul, Softmax); a GPT adds its causal mask, exact GELU
/// (Erf) and its head tied to the token table, written once. Anything else is refused with a message naming the layer.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the model imports.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version of the file.</summary>
    public const int IrVersion = 8;

    /// <summary>
    /// Writes <paramref name="model"/>, which takes examples of <paramref name="inputShape"/> (no batch axis: [784] for an
    /// MLP, [1, 28, 28] for an image network, [L] token indices for a network starting with an Embedding), to
    /// <paramref name="path"/> atomically (a failed export leaves the old file).
    /// </summary>
    public static void Save(Sequential model, IReadOnlyList<int> inputShape, string path) => Write(ToBytes(model, inputShape), path);

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically: int64 token indices [batch, sequence] (sequence
    /// at most block_size) to logits [batch, sequence, vocab_size].
    /// </summary>
    public static void Save(GPT model, string path) => Write(ToBytes(model), path);

    /// <summary>The ONNX model of <paramref name="model"/> for examples of <paramref name="inputShape"/>, as protobuf bytes.</summary>
    public static byte[] ToBytes(Sequential model, IReadOnlyList<int> inputShape) => ToModel(model, inputShape).ToByteArray();

    /// <summary>The ONNX model of <paramref name="model"/>, as protobuf bytes; see <see cref="Save(GPT, string)"/>.</summary>
    public static byte[] ToBytes(GPT model) => ToModel(model).ToByteArray();

    internal static ModelProto ToModel(Sequential model, IReadOnlyList<int> inputShape) =>
        ToModel(model, [.. model.NamedChildren().Select(c => (c.Key, c.Value))], inputShape);

    /// <summary>The GPT alone, its initializers under nanoGPT's state-dict keys, traced at block_size tokens.</summary>
    internal static ModelProto ToModel(GPT model) => ToModel(model, [("", model)], [model.BlockSize]);

    private static void Write(byte[] bytes, string path) => AtomicFile.Write(path, stream => stream.Write(bytes));

    /// <summary>
    /// <paramref name="layers"/> of <paramref name="owner"/>, each with its state-dict prefix, in order. The shapes come from
    /// tracing a batch of one; for a network of sequences a second trace at another length finds the output axes that follow
    /// the length, which become the symbol <c>sequence</c> as the input's second axis does.
    /// </summary>
    private static ModelProto ToModel(Module owner, IReadOnlyList<(string Path, Module Layer)> layers, IReadOnlyList<int> inputShape)
    {
        var modules = layers.Select(l => l.Layer).ToList();
        var shapes = ShapeTrace.Of(owner, modules, inputShape);
        var other = ShapeTrace.OtherLength(owner, modules, inputShape);
        var graph = new GraphBuilder();
        string current = "input";
        for (int i = 0; i < layers.Count; i++) current = LayerNodes.Add(graph, current, i, layers[i].Path, layers[i].Layer, shapes[i], shapes[i + 1]);
        if (current == "input") current = graph.Node("Identity", [current], "identity");
        graph.RenameOutput(current, "output");

        Shape input = shapes[0], output = shapes[^1];
        string?[] inputAxes = [.. Enumerable.Range(0, input.Rank).Select(a => a == 0 ? "batch" : a == 1 && other is not null ? "sequence" : null)];
        string?[] outputAxes = [.. Enumerable.Range(0, output.Rank).Select(a => a == 0 ? "batch" : other is null ? null : OutputSymbol(a, input[1], output, other[0][1], other[^1]))];
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Backprop",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "",
            Graph = graph.Build("backprop", input, inputAxes, ShapeTrace.ReadsTokens(modules), output, outputAxes),
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return proto;
    }

    /// <summary>
    /// Output axis <paramref name="axis"/>: its size where it does not change with the sequence's length, <c>sequence</c>
    /// where it is that length in both traces, and unknown ("") where it changes otherwise (a flattened sequence).
    /// </summary>
    private static string? OutputSymbol(int axis, int length, Shape output, int otherLength, Shape other)
    {
        if (other.Rank != output.Rank || other[axis] == output[axis]) return null;
        return output[axis] == length && other[axis] == otherLength ? "sequence" : "";
    }
}
