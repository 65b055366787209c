using Backprop.Autograd;
using Backprop.Losses;
using Backprop.NN;
using static Backprop.Tests.TestData;

namespace Backprop.Tests.Autograd;

/// <summary>
/// One row per differentiable op (several for ops with variants or broadcasting): the function to check and how to draw
/// its inputs. <see cref="GradCheckTableTests.EveryOpHasARow"/> fails when an op exists without a row here.
/// </summary>
public static class GradCheckTable
{
    public sealed record Case(string Op, string Variant, Func<Tensor[], Tensor> Function, Func<Generator, Tensor[]> Inputs, double Eps = 1e-6)
    {
        public override string ToString() => $"{Op} ({Variant})";
    }

    private static Case Row(string op, string variant, Func<Tensor[], Tensor> function, Func<Generator, Tensor[]> inputs, double eps = 1e-6) =>
        new(op, variant, function, inputs, eps);

    private static Func<Generator, Tensor[]> Same(Func<Generator, int[], Tensor> draw, int operands = 1) => g =>
    {
        var shape = RandomShape(g, 1 + g.NextInt(3));
        return [.. Enumerable.Range(0, operands).Select(_ => draw(g, shape))];
    };

    private static Func<Generator, Tensor[]> Broadcast(Func<Generator, int[], Tensor> draw) => g =>
    {
        var shape = RandomShape(g, 2 + g.NextInt(2));
        var other = BroadcastableTo(g, shape);
        return g.NextInt(2) == 0 ? [draw(g, shape), draw(g, other)] : [draw(g, other), draw(g, shape)];
    };

    private static Tensor Any(Generator g, int[] shape) => Uniform(g, shape);

    /// <summary>Integer-valued doubles that float32 holds exactly, so a float32 round trip is the identity (with eps exact too).</summary>
    private static Tensor Float32Exact(Generator g, int[] shape)
    {
        var t = Uniform(g, shape, -64, 64);
        var values = t.Span<double>();
        for (int i = 0; i < values.Length; i++) values[i] = Math.Round(values[i]) / 8;
        return t;
    }

    /// <summary>A user-defined op through the public recorder: the cube, with its derivative 3x².</summary>
    private static Tensor Cube(Tensor x)
    {
        Tensor y;
        using (new NoGrad()) y = x * x * x;
        return Graph.Record("cube", y, [x], g => [g * 3 * x * x]);
    }

    public static IEnumerable<Case> Cases()
    {
        // Arithmetic
        yield return Row("Add", "same shape", x => x[0] + x[1], Same(Any, 2));
        yield return Row("Add", "broadcast", x => x[0] + x[1], Broadcast(Any));
        yield return Row("Sub", "same shape", x => x[0] - x[1], Same(Any, 2));
        yield return Row("Sub", "broadcast", x => x[0] - x[1], Broadcast(Any));
        yield return Row("Mul", "same shape", x => x[0] * x[1], Same(Any, 2));
        yield return Row("Mul", "broadcast", x => x[0] * x[1], Broadcast(Any));
        yield return Row("Div", "same shape", x => x[0] / x[1], Same(NonZero, 2));
        yield return Row("Div", "broadcast", x => x[0] / x[1], Broadcast(NonZero));
        yield return Row("Neg", "", x => -x[0], Same(Any));
        yield return Row("Pow", "tensor exponent", x => x[0].Pow(x[1]), g => { var s = RandomShape(g, 2); return [Uniform(g, s, 0.5, 2), Uniform(g, s, -2, 2)]; });
        yield return Row("Pow", "broadcast exponent", x => x[0].Pow(x[1]), g => { var s = RandomShape(g, 2); return [Uniform(g, s, 0.5, 2), Uniform(g, [s[1]], -2, 2)]; });
        yield return Row("Pow", "constant exponent", x => x[0].Pow(3), Same(Any));
        yield return Row("To", "float64 through float32", x => x[0].To(DType.Float32).To(DType.Float64) * x[0], Same(Float32Exact), eps: 1.0 / 8);

        // Math functions
        yield return Row("Exp", "", x => x[0].Exp(), Same(Any));
        yield return Row("Log", "", x => x[0].Log(), Same((g, s) => Uniform(g, s, 0.2, 3)));
        yield return Row("Sqrt", "", x => x[0].Sqrt(), Same((g, s) => Uniform(g, s, 0.2, 3)));
        yield return Row("Abs", "", x => x[0].Abs(), Same((g, s) => AwayFrom(g, s, [0])));
        yield return Row("Clamp", "both bounds", x => x[0].Clamp(-0.5, 0.5), Same((g, s) => AwayFrom(g, s, [-0.5, 0.5])));
        yield return Row("Clamp", "min only", x => x[0].Clamp(min: 0.2), Same((g, s) => AwayFrom(g, s, [0.2])));

        // Broadcasting and reductions
        yield return Row("BroadcastTo", "", x => x[0].BroadcastTo([2, 3, 4]), g => [Any(g, BroadcastableTo(g, [2, 3, 4]))]);
        yield return Row("SumTo", "", x => x[0].SumTo([3, 1]), g => [Any(g, [2, 3, 4])]);
        yield return Row("Sum", "all", x => x[0].Sum(), Same(Any));
        yield return Row("Sum", "axis", x => x[0].Sum(1), g => [Any(g, RandomShape(g, 3))]);
        yield return Row("Sum", "axis, keep dims", x => x[0].Sum(-1, keepDims: true), g => [Any(g, RandomShape(g, 2))]);
        yield return Row("Mean", "all", x => x[0].Mean(), Same(Any));
        yield return Row("Mean", "axis", x => x[0].Mean(0, keepDims: true), g => [Any(g, RandomShape(g, 2))]);
        yield return Row("Max", "all", x => x[0].Max(), Same(Any));
        yield return Row("Max", "axis", x => x[0].Max(1), g => [Any(g, RandomShape(g, 3))]);
        yield return Row("Max", "axis, keep dims", x => x[0].Max(0, keepDims: true), g => [Any(g, RandomShape(g, 2))]);
        // Argmax is not differentiable: its index enters as a constant, and the gradient flows around it.
        yield return Row("Argmax", "axis, as a constant factor", x => x[0] * x[0].Argmax(1, keepDims: true).To(DType.Float64), g => [Any(g, [3, 4])]);
        yield return Row("Argmax", "all elements, as a constant factor", x => x[0] * x[0].Argmax().To(DType.Float64), g => [Any(g, [2, 3])]);

        // Linear algebra
        yield return Row("MatMul", "2-D", x => x[0].MatMul(x[1]), g => [Any(g, [3, 4]), Any(g, [4, 2])]);
        yield return Row("MatMul", "batched, broadcast batch", x => x[0].MatMul(x[1]), g => [Any(g, [2, 1, 3, 4]), Any(g, [3, 4, 2])]);
        yield return Row("MatMul", "vector × matrix", x => x[0].MatMul(x[1]), g => [Any(g, [4]), Any(g, [4, 3])]);
        yield return Row("MatMul", "matrix × vector", x => x[0].MatMul(x[1]), g => [Any(g, [3, 4]), Any(g, [4])]);
        yield return Row("MatMul", "vector · vector", x => x[0].MatMul(x[1]), g => [Any(g, [5]), Any(g, [5])]);
        foreach (var (ta, tb) in new[] { (false, true), (true, false), (true, true) })
        {
            yield return Row("MatMul", $"transposeA={ta} transposeB={tb}", x => LinearAlgebra.MatMul(x[0], x[1], ta, tb),
                g => [Any(g, ta ? [2, 4, 3] : [2, 3, 4]), Any(g, tb ? [2, 5, 4] : [2, 4, 5])]);
        }
        yield return Row("Linear", "batch with bias", x => x[0].Linear(x[1], x[2]), g => [Any(g, [5, 3]), Any(g, [4, 3]), Any(g, [4])]);
        yield return Row("Linear", "single input, no bias", x => x[0].Linear(x[1]), g => [Any(g, [3]), Any(g, [2, 3])]);
        yield return Row("Transpose", "last two", x => x[0].Transpose(), g => [Any(g, RandomShape(g, 3))]);
        yield return Row("Transpose", "outer axes", x => x[0].Transpose(0, 2), g => [Any(g, RandomShape(g, 3))]);

        // Shaping
        yield return Row("Reshape", "", x => x[0].Reshape(-1, 2) * x[0].Reshape(-1, 2), g => [Any(g, [3, 4])]);
        yield return Row("Flatten", "", x => x[0].Flatten(1), g => [Any(g, RandomShape(g, 3))]);
        yield return Row("Squeeze", "", x => x[0].Squeeze(1).Exp(), g => [Any(g, [3, 1, 2])]);
        yield return Row("Unsqueeze", "", x => x[0].Unsqueeze(0) * x[0].Unsqueeze(-1), g => [Any(g, [3])]);
        yield return Row("Slice", "middle of axis 1", x => x[0].Slice(1, 1, 3), g => [Any(g, [2, 4, 3])]);
        yield return Row("Slice", "negative bounds", x => x[0].Slice(0, -2, -1), g => [Any(g, [4, 2])]);
        yield return Row("Cat", "axis 0", x => Shaping.Cat([x[0], x[1]], 0), g => [Any(g, [2, 3]), Any(g, [1, 3])]);
        yield return Row("Cat", "axis 1, three tensors", x => Shaping.Cat([x[0], x[1], x[0]], 1), g => [Any(g, [2, 1]), Any(g, [2, 3])]);

        // Convolution: strides, paddings (int, pair, 'same' with even kernels, 'valid'), dilations, groups, odd sizes
        yield return Row("Conv2d", "3×2 kernel with bias", x => x[0].Conv2d(x[1], x[2]), g => [Any(g, [2, 3, 5, 6]), Any(g, [4, 3, 3, 2]), Any(g, [4])]);
        yield return Row("Conv2d", "stride 2, padding 1, odd sizes", x => x[0].Conv2d(x[1], x[2], stride: 2, padding: 1),
            g => [Any(g, [1, 2, 7, 5]), Any(g, [3, 2, 3, 3]), Any(g, [3])]);
        yield return Row("Conv2d", "dilation 2, padding (2, 1), no bias", x => x[0].Conv2d(x[1], dilation: 2, padding: (2, 1)),
            g => [Any(g, [2, 1, 6, 7]), Any(g, [2, 1, 2, 3])]);
        yield return Row("Conv2d", "groups 2, stride (1, 2), padding 1", x => x[0].Conv2d(x[1], x[2], stride: (1, 2), padding: 1, groups: 2),
            g => [Any(g, [2, 4, 5, 5]), Any(g, [6, 2, 3, 3]), Any(g, [6])]);
        yield return Row("Conv2d", "depthwise (groups = channels), dilation (2, 1)", x => x[0].Conv2d(x[1], x[2], dilation: (2, 1), groups: 3),
            g => [Any(g, [1, 3, 6, 4]), Any(g, [3, 1, 2, 2]), Any(g, [3])]);
        yield return Row("Conv2d", "padding 'same', even 4×2 kernel, dilation (1, 2)", x => x[0].Conv2d(x[1], x[2], padding: "same", dilation: (1, 2)),
            g => [Any(g, [1, 2, 5, 4]), Any(g, [3, 2, 4, 2]), Any(g, [3])]);
        yield return Row("Conv2d", "padding 'valid', stride 3 beyond the kernel", x => x[0].Conv2d(x[1], stride: 3, padding: "valid"),
            g => [Any(g, [2, 2, 8, 7]), Any(g, [2, 2, 2, 2])]);
        yield return Row("Conv2d", "one example [C, H, W], padding wider than the kernel", x => x[0].Conv2d(x[1], x[2], padding: (1, 3)),
            g => [Any(g, [2, 3, 3]), Any(g, [2, 2, 2, 2]), Any(g, [2])]);
        yield return Row("Conv2d", "3×3, stride 1, 16 channels in and out: Winograd F(2×2, 3×3), odd sizes", x => x[0].Conv2d(x[1], x[2], padding: 1),
            g => [Any(g, [2, 16, 3, 5]), Any(g, [16, 16, 3, 3]), Any(g, [16])]);
        yield return Row("Conv2d", "output as wide as the input, outer taps wholly in the padding", x => x[0].Conv2d(x[1], x[2], padding: (1, 3)),
            g => [Any(g, [2, 2, 4, 2]), Any(g, [3, 2, 3, 7]), Any(g, [3])]);

        // Pooling: overlapping and strided windows, padding, odd sizes, windows that do not divide the input
        yield return Row("MaxPool2d", "2×2", x => x[0].MaxPool2d(2), g => [Any(g, [2, 3, 4, 6])]);
        yield return Row("MaxPool2d", "3×3, stride 2, padding 1, odd sizes", x => x[0].MaxPool2d(3, stride: 2, padding: 1), g => [Any(g, [1, 2, 7, 5])]);
        yield return Row("MaxPool2d", "(3, 2) kernel, stride (1, 2), overlapping", x => x[0].MaxPool2d((3, 2), stride: (1, 2)), g => [Any(g, [2, 1, 5, 7])]);
        yield return Row("MaxPool2d", "one example [C, H, W], stride 1, padding 1", x => x[0].MaxPool2d(3, stride: 1, padding: 1), g => [Any(g, [2, 4, 5])]);
        yield return Row("AvgPool2d", "2×2", x => x[0].AvgPool2d(2), g => [Any(g, [2, 3, 4, 6])]);
        yield return Row("AvgPool2d", "3×3, stride 2, padding 1 counted, odd sizes", x => x[0].AvgPool2d(3, stride: 2, padding: 1), g => [Any(g, [1, 2, 7, 5])]);
        yield return Row("AvgPool2d", "(2, 3) kernel, stride (1, 2), padding 1 not counted", x => x[0].AvgPool2d((2, 3), stride: (1, 2), padding: 1, countIncludePad: false),
            g => [Any(g, [2, 1, 5, 6])]);
        yield return Row("AdaptiveAvgPool2d", "7×5 to 3×2, overlapping windows", x => x[0].AdaptiveAvgPool2d((3, 2)), g => [Any(g, [2, 2, 7, 5])]);
        yield return Row("AdaptiveAvgPool2d", "global, to 1×1", x => x[0].AdaptiveAvgPool2d(1), g => [Any(g, [2, 3, 4, 3])]);
        yield return Row("AdaptiveAvgPool2d", "2×3 up to 4×5", x => x[0].AdaptiveAvgPool2d((4, 5)), g => [Any(g, [1, 2, 2, 3])]);

        // Batch normalisation: through the batch statistics in training, through constants in evaluation
        yield return Row("BatchNorm", "training [N,C,H,W], affine", x => x[0].BatchNorm(null, null, x[1], x[2], training: true),
            g => [Any(g, [3, 2, 2, 3]), Uniform(g, [2], 0.5, 2), Any(g, [2])]);
        yield return Row("BatchNorm", "training [N,C,L], running statistics updated", x => x[0].BatchNorm(
                Tensor.Zeros([3], DType.Float64), Tensor.Ones([3], DType.Float64), x[1], x[2], training: true, momentum: 0.3),
            g => [Any(g, [2, 3, 4]), Uniform(g, [3], 0.5, 2), Any(g, [3])]);
        yield return Row("BatchNorm", "training [N,C], not affine, eps 0.1", x => x[0].BatchNorm(null, null, training: true, eps: 0.1), g => [Any(g, [5, 3])]);
        yield return Row("BatchNorm", "evaluation with running statistics", x => x[0].BatchNorm(
                Tensor.FromArray([0.1, -0.2]), Tensor.FromArray([0.5, 2.0]), x[1], x[2]),
            g => [Any(g, [3, 2, 2, 2]), Uniform(g, [2], 0.5, 2), Any(g, [2])]);

        // Layer normalisation: through each group's statistics, over the last axis or the last two
        yield return Row("LayerNorm", "[N,D], affine", x => x[0].LayerNorm([5], x[1], x[2]),
            g => [Any(g, [3, 5]), Uniform(g, [5], 0.5, 2), Any(g, [5])]);
        yield return Row("LayerNorm", "last two axes of [2,3,4], weight only", x => x[0].LayerNorm([3, 4], x[1]),
            g => [Any(g, [2, 3, 4]), Uniform(g, [3, 4], 0.5, 2)]);
        yield return Row("LayerNorm", "not affine, eps 0.1", x => x[0].LayerNorm([3], eps: 0.1), g => [Any(g, [4, 3])]);

        // Embedding: over the weight only, the int64 indices being constants (as cross-entropy's targets)
        yield return Row("Embedding", "[2,3] indices, some repeated", x => Embeddings.Embedding(x[0], Tensor.FromArray([1L, 3, 1, 0, 3, 3], new Shape(2, 3))),
            g => [Any(g, [4, 3])]);
        // The padding row gets no gradient; it is masked to a constant zero, so that its numerical derivative is zero too.
        yield return Row("Embedding", "padding_idx -1, padding row masked", x => Embeddings.Embedding(
                x[0] * Tensor.FromArray([1.0, 1, 0], new Shape(3, 1)), Tensor.FromArray([2L, 0, 2, 1]), paddingIdx: -1),
            g => [Any(g, [3, 2])]);

        // Activations
        yield return Row("Identity", "", x => x[0].Identity(), Same(Any));
        yield return Row("BinaryStep", "", x => x[0].BinaryStep(), Same((g, s) => AwayFrom(g, s, [0])));
        yield return Row("Sigmoid", "", x => x[0].Sigmoid(), Same((g, s) => Uniform(g, s, -4, 4)));
        yield return Row("Tanh", "", x => x[0].Tanh(), Same((g, s) => Uniform(g, s, -3, 3)));
        yield return Row("Relu", "", x => x[0].Relu(), Same((g, s) => AwayFrom(g, s, [0])));
        yield return Row("LeakyRelu", "", x => x[0].LeakyRelu(0.1), Same((g, s) => AwayFrom(g, s, [0])));
        yield return Row("Elu", "", x => x[0].Elu(0.7), Same((g, s) => AwayFrom(g, s, [0], -3, 3)));
        yield return Row("Gelu", "", x => x[0].Gelu(), Same((g, s) => Uniform(g, s, -4, 4)));
        yield return Row("GeluTanh", "", x => x[0].GeluTanh(), Same((g, s) => Uniform(g, s, -4, 4)));
        yield return Row("Silu", "", x => x[0].Silu(), Same((g, s) => Uniform(g, s, -4, 4)));
        yield return Row("Softplus", "", x => x[0].Softplus(), Same((g, s) => Uniform(g, s, -5, 5)));
        yield return Row("Softplus", "beyond the threshold", x => x[0].Softplus(), Same((g, s) => AwayFrom(g, s, [20], 15, 25)));

        // Softmax family
        yield return Row("Softmax", "last axis", x => x[0].Softmax(), g => [Any(g, RandomShape(g, 2))]);
        yield return Row("Softmax", "axis 0 of 3-D", x => x[0].Softmax(0), g => [Any(g, RandomShape(g, 3))]);
        yield return Row("LogSoftmax", "last axis", x => x[0].LogSoftmax(), g => [Any(g, RandomShape(g, 2))]);
        yield return Row("LogSoftmax", "axis 1 of 3-D", x => x[0].LogSoftmax(1), g => [Any(g, RandomShape(g, 3))]);

        // Scaled dot-product attention: over query, key and value; the mask is a constant
        yield return Row("ScaledDotProductAttention", "[2,3,4] queries over 5 keys, values of 2", x => Attention.ScaledDotProductAttention(x[0], x[1], x[2]),
            g => [Any(g, [2, 3, 4]), Any(g, [2, 5, 4]), Any(g, [2, 5, 2])]);
        yield return Row("ScaledDotProductAttention", "causal, batch and heads [2,2,4,3]", x => Attention.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: true),
            g => [Any(g, [2, 2, 4, 3]), Any(g, [2, 2, 4, 3]), Any(g, [2, 2, 4, 2])]);
        yield return Row("ScaledDotProductAttention", "causal, 3 queries over 5 keys, scale 0.7", x => Attention.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: true, scale: 0.7),
            g => [Any(g, [3, 2]), Any(g, [5, 2]), Any(g, [5, 3])]);
        // Each query row keeps at least one key, so no row is wholly masked.
        yield return Row("ScaledDotProductAttention", "additive [3,4] mask with −∞, broadcast over heads", x => Attention.ScaledDotProductAttention(x[0], x[1], x[2],
                Tensor.FromArray(new double[,] { { 0, double.NegativeInfinity, 0.5, 0 }, { -1, 0, double.NegativeInfinity, double.NegativeInfinity }, { 0, 0, 0, 2 } })),
            g => [Any(g, [2, 3, 3]), Any(g, [2, 4, 3]), Any(g, [2, 4, 2])]);
        yield return Row("ScaledDotProductAttention", "batch axes broadcast: [2,1,3,4] queries, [3,5,4] keys and values", x => Attention.ScaledDotProductAttention(x[0], x[1], x[2]),
            g => [Any(g, [2, 1, 3, 4]), Any(g, [3, 5, 4]), Any(g, [3, 5, 4])]);

        // Losses
        yield return Row("Mse", "", x => Loss.Mse(x[0], x[1]), Same(Any, 2));
        yield return Row("BinaryCrossEntropyWithLogits", "", x => Loss.BinaryCrossEntropyWithLogits(x[0], x[1]),
            g => { var s = RandomShape(g, 2); return [Uniform(g, s, -4, 4), Uniform(g, s, 0, 1)]; });
        yield return Row("CrossEntropy", "class list", x => Loss.CrossEntropy(x[0], [0, 2, 1, 2]), g => [Uniform(g, [4, 3], -3, 3)]);
        yield return Row("CrossEntropy", "class tensor", x => Loss.CrossEntropy(x[0], Tensor.FromArray([2f, 0, 1])), g => [Uniform(g, [3, 4], -3, 3)]);
        yield return Row("CrossEntropy", "int64 class tensor", x => Loss.CrossEntropy(x[0], Tensor.FromArray([1L, 3, 0])), g => [Uniform(g, [3, 4], -3, 3)]);
        yield return Row("CrossEntropy", "ignore_index", x => Loss.CrossEntropy(x[0], Tensor.FromArray([1L, -100, 0, 3])), g => [Uniform(g, [4, 4], -3, 3)]);
        yield return Row("CrossEntropy", "[B,T,V] with ignore_index -1", x => Loss.CrossEntropy(x[0], Tensor.FromArray([2f, -1, 0, 4, 1, -1], [2, 3]), ignoreIndex: -1),
            g => [Uniform(g, [2, 3, 5], -3, 3)]);
        yield return Row("NllLoss", "class list", x => Loss.NllLoss(x[0], [1, 0, 1]), g => [Uniform(g, [3, 2], -3, 0)]);
        yield return Row("NllLoss", "int64 class tensor", x => Loss.NllLoss(x[0], Tensor.FromArray([0L, 1, 1])), g => [Uniform(g, [3, 2], -3, 0)]);
        yield return Row("WeightPenalty", "L1 over two tensors", x => Loss.WeightPenalty([x[0], x[1]], new Penalty(PenaltyKind.L1, 0.3)),
            g => [AwayFrom(g, [3, 2], [0]), AwayFrom(g, [4], [0])]);
        yield return Row("WeightPenalty", "L2 over two tensors", x => Loss.WeightPenalty([x[0], x[1]], new Penalty(PenaltyKind.L2, 0.3)),
            g => [Any(g, [3, 2]), Any(g, [4])]);

        // The recorder itself, as a user defining a new op would use it
        yield return Row("Record", "user-defined cube", x => Cube(x[0]), Same(Any));
    }
}
