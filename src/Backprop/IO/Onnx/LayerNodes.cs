using Backprop.NN;

namespace Backprop.IO.Onnx;

/// <summary>
/// Each layer of a <see cref="Sequential"/> as ONNX nodes for inference, given the shapes entering and leaving it (a batch
/// of one; see <see cref="ShapeTrace"/>). Weights and buffers become initializers under their state-dict names; the
/// sequence layers' nodes are <see cref="SequenceNodes"/>' and <see cref="RecurrentNodes"/>'.
/// </summary>
internal static class LayerNodes
{
    /// <summary>What export supports, for the message refusing anything else.</summary>
    public const string Supported = "export supports Linear, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, BatchNorm1d/2d with running statistics, Flatten, Dropout, Dropout2d, " +
        "the activations, Softmax, LogSoftmax, Embedding, LayerNorm, RNN, LSTM, GRU, MultiheadAttention (self-attention) and GPT";

    /// <summary>
    /// Adds layer <paramref name="index"/>'s nodes after <paramref name="x"/> and returns the name of their output;
    /// <paramref name="path"/> is the layer's state-dict prefix ("3" in a Sequential, "" for a model exported alone).
    /// </summary>
    public static string Add(GraphBuilder graph, string x, int index, string path, Module layer, Shape input, Shape output) => layer switch
    {
        Linear linear => Linear(graph, x, path, $"linear_{index}", linear, input.Rank),
        Conv2d conv => Conv(graph, x, index, conv),
        MaxPool2d pool => graph.Node("MaxPool", [x], $"max_pool_{index}",
            NodeAttribute.Pair("kernel_shape", pool.KernelSize), NodeAttribute.Pair("strides", pool.Stride), Pads(pool.Padding)),
        AvgPool2d pool => graph.Node("AveragePool", [x], $"avg_pool_{index}",
            NodeAttribute.Pair("kernel_shape", pool.KernelSize), NodeAttribute.Pair("strides", pool.Stride), Pads(pool.Padding),
            NodeAttribute.Int("count_include_pad", pool.CountIncludePad ? 1 : 0)),
        AdaptiveAvgPool2d pool => AdaptiveAvgPool(graph, x, index, pool, input),
        BatchNormBase norm => BatchNorm(graph, x, index, norm),
        Flatten flatten => Flatten(graph, x, index, flatten, input, output),
        ActivationModule activation => activation.Activation.ExportOnnx(graph, x, $"{activation.Activation.Name.Replace('-', '_')}_{index}", activation),
        Softmax softmax => graph.Node("Softmax", [x], $"softmax_{index}", NodeAttribute.Int("axis", softmax.Axis)),
        LogSoftmax logSoftmax => graph.Node("LogSoftmax", [x], $"log_softmax_{index}", NodeAttribute.Int("axis", logSoftmax.Axis)),
        Dropout or Dropout2d => x, // inference passes everything through
        Embedding embedding => SequenceNodes.Embedding(graph, x, path, $"embedding_{index}", embedding),
        LayerNorm norm => SequenceNodes.LayerNorm(graph, x, path, $"layer_norm_{index}", norm),
        RecurrentLayer recurrent => input.Rank == 3
            ? RecurrentNodes.Add(graph, x, path, $"{recurrent.GetType().Name.ToLowerInvariant()}_{index}", recurrent)
            : throw Refuse(index, layer, $"gets examples of shape {ShapeTrace.Per(input)}; export needs sequences [L, {recurrent.InputSize}] per example"),
        MultiheadAttention attention => input.Rank == 3
            ? SequenceNodes.MultiheadAttention(graph, x, path, $"multihead_attention_{index}", attention)
            : throw Refuse(index, layer, $"gets examples of shape {ShapeTrace.Per(input)}; export needs sequences [L, {attention.EmbedDim}] per example"),
        GPT gpt => SequenceNodes.Gpt(graph, x, path, gpt),
        _ => throw Refuse(index, layer, $"has no ONNX equivalent here; {Supported}"),
    };

    /// <summary>A layer as messages name it: its <c>torch.nn</c> class, with the arguments that decide whether it exports.</summary>
    public static string Describe(Module layer) => layer switch
    {
        Flatten flatten => $"Flatten({flatten.StartAxis}, {flatten.EndAxis})",
        AdaptiveAvgPool2d pool => $"AdaptiveAvgPool2d({(pool.OutputSize.Height == pool.OutputSize.Width ? pool.OutputSize.Height.ToString(System.Globalization.CultureInfo.InvariantCulture) : pool.OutputSize.ToString())})",
        BatchNormBase { TrackRunningStats: false } norm => $"{norm.GetType().Name}({norm.NumFeatures}, track_running_stats=False)",
        BatchNormBase norm => $"{norm.GetType().Name}({norm.NumFeatures})",
        Conv2d conv => $"Conv2d({conv.InChannels}, {conv.OutChannels}, {conv.KernelSize})",
        Linear linear => $"Linear({linear.InFeatures}, {linear.OutFeatures})",
        _ => layer.GetType().Name,
    };

    private static ArgumentException Refuse(int index, Module layer, string problem) => new($"onnx export: layer {index} ({Describe(layer)}) {problem}");

    /// <summary>A Linear layer at <paramref name="path"/> on inputs of <paramref name="rank"/> axes; see <see cref="Affine"/>.</summary>
    public static string Linear(GraphBuilder graph, string x, string path, string name, Linear linear, int rank) =>
        Affine(graph, x, graph.Initializer(SequenceNodes.Key(path, "weight"), linear.Weight),
            linear.Bias is { } b ? graph.Initializer(SequenceNodes.Key(path, "bias"), b) : null, name, rank);

    /// <summary>
    /// y = x·Wᵀ + b for the initializers <paramref name="weight"/> [out, in] and <paramref name="bias"/>: Gemm with transB
    /// for [batch, features], MatMul by the transposed weight for more axes; W stays [out, in].
    /// </summary>
    public static string Affine(GraphBuilder graph, string x, string weight, string? bias, string name, int rank)
    {
        if (rank == 2) return graph.Node("Gemm", bias is null ? [x, weight] : [x, weight, bias], name, NodeAttribute.Int("transB", 1));
        string transposed = graph.Node("Transpose", [weight], $"{name}_weight_t", NodeAttribute.Ints("perm", 1, 0));
        string product = graph.Node("MatMul", [x, transposed], bias is null ? name : $"{name}_product");
        return bias is null ? product : graph.Node("Add", [product, bias], name);
    }

    private static string Conv(GraphBuilder graph, string x, int index, Conv2d conv)
    {
        var (top, bottom, left, right) = conv.Padding.Resolve(conv.KernelSize, conv.Stride, conv.Dilation, "conv2d"); // 'same' as explicit sides
        var inputs = new List<string> { x, graph.Initializer($"{index}.weight", conv.Weight) };
        if (conv.Bias is { } bias) inputs.Add(graph.Initializer($"{index}.bias", bias));
        return graph.Node("Conv", inputs, $"conv_{index}",
            NodeAttribute.Pair("kernel_shape", conv.KernelSize), NodeAttribute.Pair("strides", conv.Stride),
            NodeAttribute.Ints("pads", top, left, bottom, right), NodeAttribute.Pair("dilations", conv.Dilation), NodeAttribute.Int("group", conv.Groups));
    }

    /// <summary>ONNX's pads, [top, left, bottom, right], for the same padding on both sides of each axis.</summary>
    private static Proto.AttributeProto Pads(Size2d padding) => NodeAttribute.Ints("pads", padding.Height, padding.Width, padding.Height, padding.Width);

    /// <summary>
    /// GlobalAveragePool for a 1×1 output; AveragePool with equal windows where the output divides the input (PyTorch's
    /// adaptive windows are then exactly those); refused otherwise, where the windows differ in size or overlap.
    /// </summary>
    private static string AdaptiveAvgPool(GraphBuilder graph, string x, int index, AdaptiveAvgPool2d pool, Shape input)
    {
        var (outHeight, outWidth) = pool.OutputSize;
        if (outHeight == 1 && outWidth == 1) return graph.Node("GlobalAveragePool", [x], $"adaptive_avg_pool_{index}");
        int height = input[-2], width = input[-1];
        if (height % outHeight != 0 || width % outWidth != 0)
        {
            throw Refuse(index, pool, $"gets {height}×{width} inputs, which {outHeight}×{outWidth} outputs do not divide evenly; ONNX pools equal windows only");
        }
        Size2d window = (height / outHeight, width / outWidth);
        return graph.Node("AveragePool", [x], $"adaptive_avg_pool_{index}", NodeAttribute.Pair("kernel_shape", window), NodeAttribute.Pair("strides", window));
    }

    /// <summary>BatchNormalization in inference mode: the running statistics, γ and β (1 and 0 when not affine), epsilon.</summary>
    private static string BatchNorm(GraphBuilder graph, string x, int index, BatchNormBase norm)
    {
        if (norm.RunningMean is not { } mean || norm.RunningVar is not { } variance)
        {
            throw Refuse(index, norm, "keeps no running statistics, so it normalises each batch by its own and its output depends on the rest of the batch; export needs track_running_stats=True");
        }
        string scale = norm.Weight is { } weight ? graph.Initializer($"{index}.weight", weight) : graph.Initializer($"batch_norm_{index}_ones", Tensor.Ones([norm.NumFeatures]));
        string shift = norm.Bias is { } bias ? graph.Initializer($"{index}.bias", bias) : graph.Initializer($"batch_norm_{index}_zeros", Tensor.Zeros([norm.NumFeatures]));
        return graph.Node("BatchNormalization", [x, scale, shift, graph.Initializer($"{index}.running_mean", mean), graph.Initializer($"{index}.running_var", variance)],
            $"batch_norm_{index}", NodeAttribute.Float("epsilon", (float)norm.Eps));
    }

    /// <summary>
    /// ONNX's Flatten (axis 1) for all but the batch axis; a Reshape to the known output shape, the batch copied (0), for
    /// other axes. Merging the batch axis itself is refused: the exported model keeps its batch axis symbolic.
    /// </summary>
    private static string Flatten(GraphBuilder graph, string x, int index, Flatten flatten, Shape input, Shape output)
    {
        int rank = input.Rank;
        int first = flatten.StartAxis < 0 ? flatten.StartAxis + rank : flatten.StartAxis;
        int last = flatten.EndAxis < 0 ? flatten.EndAxis + rank : flatten.EndAxis;
        if (first < 1) throw Refuse(index, flatten, "merges the batch axis into the others; export keeps the batch axis, so start_dim must be at least 1");
        if (first == 1 && last == rank - 1) return graph.Node("Flatten", [x], $"flatten_{index}", NodeAttribute.Int("axis", 1));
        long[] target = [0, .. output.ToArray()[1..].Select(d => (long)d)];
        return graph.Node("Reshape", [x, graph.Int64Initializer($"flatten_{index}_shape", target)], $"flatten_{index}");
    }
}
