using Backprop.IO.Onnx;
using Backprop.IO.Onnx.Proto;
using Backprop.NN;
using Google.Protobuf;

namespace Backprop.IO;

/// <summary>
/// Writes a <see cref="Sequential"/> network of linear layers and activations as an ONNX model (opset 17, IR version 8)
/// that ONNX Runtime and the rest of the field run: input <c>input</c> [batch, features] with a dynamic batch dimension,
/// output <c>output</c>; each linear layer a Gemm with transB (its weight stays [out, in], under its state-dict name);
/// ReLU, sigmoid, tanh, leaky ReLU, ELU, softplus, identity, softmax and log-softmax as their ONNX ops; GELU (exact) as
/// x·(1 + erf(x/√2))/2, SiLU as x·σ(x), the binary step as a comparison; Flatten of all but the batch axis; dropout as
/// nothing (inference).
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the model imports.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version of the file.</summary>
    public const int IrVersion = 8;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (a failed export leaves the old file).</summary>
    public static void Save(Sequential model, string path)
    {
        var bytes = ToModel(model).ToByteArray();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model of <paramref name="model"/>, as protobuf bytes.</summary>
    public static byte[] ToBytes(Sequential model) => ToModel(model).ToByteArray();

    internal static ModelProto ToModel(Sequential model)
    {
        var linears = model.Layers.OfType<Linear>().ToList();
        if (linears.Count == 0) throw new ArgumentException("onnx export: the model has no linear layer, so its input size is unknown");
        var graph = new GraphBuilder();
        string current = "input";
        for (int i = 0; i < model.Layers.Count; i++)
        {
            current = model.Layers[i] switch
            {
                Linear linear => graph.Gemm(current, i, linear),
                ActivationModule activation => graph.Activation(current, i, activation.Activation),
                Softmax softmax => graph.Node("Softmax", [current], $"softmax_{i}", NodeAttribute.Int("axis", softmax.Axis)),
                LogSoftmax logSoftmax => graph.Node("LogSoftmax", [current], $"log_softmax_{i}", NodeAttribute.Int("axis", logSoftmax.Axis)),
                Flatten { StartAxis: 1, EndAxis: -1 } => graph.Node("Flatten", [current], $"flatten_{i}", NodeAttribute.Int("axis", 1)),
                Dropout => current,
                var other => throw new ArgumentException($"onnx export: layer {i} ({Describe(other)}) has no ONNX equivalent here; export supports linear layers, activations, softmax, log-softmax, flatten and dropout"),
            };
        }
        if (current == "input") current = graph.Node("Identity", [current], "identity");
        graph.RenameOutput(current, "output");

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Backprop",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "",
            Graph = graph.Build("backprop", linears[0].InFeatures, linears[^1].OutFeatures),
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return proto;
    }

    private static string Describe(Module module) => module is Flatten flatten ? $"Flatten({flatten.StartAxis}, {flatten.EndAxis})" : module.GetType().Name;
}
