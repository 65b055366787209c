using Backprop.IO.Onnx;
using Backprop.IO.Onnx.Proto;
using Backprop.NN;
using Google.Protobuf;

namespace Backprop.IO;

/// <summary>
/// Writes a <see cref="Sequential"/> network as an ONNX model (opset 17, IR version 8) for inference, which ONNX Runtime and
/// the rest of the field run: input <c>input</c> [batch, …the example's shape] with a symbolic batch dimension, output
/// <c>output</c> [batch, …]. Linear layers become Gemm (the weight kept [out, in] under its state-dict name); Conv2d Conv
/// (strides, explicit pads for 'same', dilations, groups, bias optional); MaxPool2d MaxPool; AvgPool2d AveragePool (with
/// its count_include_pad); AdaptiveAvgPool2d GlobalAveragePool for a 1×1 output, else AveragePool where the output size
/// divides the input's; BatchNorm1d/2d BatchNormalization on the running statistics; Flatten ONNX's Flatten, or a Reshape
/// for other axes; the activations (LeakyReLU's slope and ELU's alpha as the modules have them), Softmax and LogSoftmax
/// their ops; Dropout and Dropout2d nothing. Anything else is refused with a message naming the layer.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the model imports.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version of the file.</summary>
    public const int IrVersion = 8;

    /// <summary>
    /// Writes <paramref name="model"/>, which takes examples of <paramref name="inputShape"/> (no batch axis: [784] for an
    /// MLP, [1, 28, 28] for an image network), to <paramref name="path"/> atomically (a failed export leaves the old file).
    /// </summary>
    public static void Save(Sequential model, IReadOnlyList<int> inputShape, string path)
    {
        var bytes = ToBytes(model, inputShape);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model of <paramref name="model"/> for examples of <paramref name="inputShape"/>, as protobuf bytes.</summary>
    public static byte[] ToBytes(Sequential model, IReadOnlyList<int> inputShape) => ToModel(model, inputShape).ToByteArray();

    internal static ModelProto ToModel(Sequential model, IReadOnlyList<int> inputShape)
    {
        var shapes = ShapeTrace.Of(model, inputShape);
        var graph = new GraphBuilder();
        string current = "input";
        for (int i = 0; i < model.Layers.Count; i++) current = LayerNodes.Add(graph, current, i, model.Layers[i], shapes[i], shapes[i + 1]);
        if (current == "input") current = graph.Node("Identity", [current], "identity");
        graph.RenameOutput(current, "output");

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Backprop",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "",
            Graph = graph.Build("backprop", shapes[0], shapes[^1]),
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return proto;
    }
}
