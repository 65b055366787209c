using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Autograd;
using Backprop.Kernels;

namespace Backprop;

/// <summary>Matrix products and transposition.</summary>
public static class LinearAlgebra
{
    /// <summary>
    /// The matrix product, as <c>torch.matmul</c>: 2-D × 2-D; batched over leading axes, which broadcast; a 1-D operand is
    /// treated as a row (left) or column (right) vector and that axis is dropped from the result.
    /// For C = A·B: dC/dA applied to g is g·Bᵀ, dC/dB applied to g is Aᵀ·g.
    /// </summary>
    public static Tensor MatMul(this Tensor a, Tensor b)
    {
        if (a.Rank == 0 || b.Rank == 0)
        {
            throw new ArgumentException($"matmul: both operands need at least one dimension, got shapes {a.Shape} and {b.Shape}");
        }
        CheckInner(a.Shape, b.Shape, a.Shape[-1], b.Rank == 1 ? b.Shape[0] : b.Shape[-2]);
        (a, b) = TypePromotion.Promote(a, b);
        a.RequireFloatingPoint("matmul");
        bool rowVector = a.Rank == 1, columnVector = b.Rank == 1;
        var product = MatMul(rowVector ? a.Reshape(1, a.Count) : a, columnVector ? b.Reshape(b.Count, 1) : b, transposeA: false, transposeB: false);
        if (columnVector) product = product.Squeeze(-1);
        if (rowVector) product = product.Squeeze(columnVector ? -1 : -2);
        return product;
    }

    /// <summary>
    /// A linear layer's map, as PyTorch's <c>F.linear</c>: y = x·Wᵀ + b for input [.., in], weight [out, in] and bias [out].
    /// Wᵀ is never materialised: the product reads W with the transpose flag, and so does backward.
    /// </summary>
    public static Tensor Linear(this Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2 || input.Rank == 0 || input.Shape[-1] != weight.Shape[1])
        {
            throw new ArgumentException($"linear: input of shape {input.Shape} does not fit weight of shape {weight.Shape} (expected [..,{(weight.Rank == 2 ? weight.Shape[1] : "in")}] and [out,in])");
        }
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
        {
            throw new ArgumentException($"linear: bias of shape {bias.Shape} does not fit weight of shape {weight.Shape}");
        }
        if (input.Rank == 1) return input.Unsqueeze(0).Linear(weight, bias).Squeeze(0);
        // [.., in] as one [rows, in] matrix (a view): one product over all rows instead of one per leading index, and the
        // weight's gradient one product written straight into its buffer instead of a stack of them summed afterwards.
        if (input.Rank > 2) return input.Flatten(0, -2).Linear(weight, bias).ReshapeTo(new Shape([.. input.Shape.Dims[..^1], weight.Shape[0]]));
        (input, weight) = TypePromotion.Promote(input, weight);
        var y = Product(input, weight, transposeA: false, transposeB: true);
        if (bias is not null)
        {
            bias = bias.To(y.DType);
            AddRowsInPlace(y, bias);
        }
        ReadOnlySpan<Tensor> inputs = bias is null ? [input, weight] : [input, weight, bias];
        // One node instead of a matmul and an add: dx = g·W, dW = gᵀ·x, db = g summed over the rows.
        return Graph.Record("linear", y, inputs, (input, weight, bias), static (s, g) => [
            s.input.RequiresGrad ? Product(g, s.weight, transposeA: false, transposeB: false) : null,
            s.weight.RequiresGrad ? WeightGradient(g, s.input, s.weight) : null,
            s.bias is { RequiresGrad: true } bias ? BiasGradient(g, bias) : null,
        ]);
    }

    /// <summary>
    /// dW = gᵀ·x. When the weight is a leaf whose gradient buffer was zeroed for this step (as the trainer's is), the
    /// product is written straight into that buffer and nothing is returned for the engine to copy there; a weight used
    /// twice still gets the sum, since the engine adds any other contribution into the written buffer.
    /// </summary>
    private static Tensor? WeightGradient(Tensor g, Tensor input, Tensor weight)
    {
        if (g.Rank == 2 && input.Rank == 2 && weight.TakeZeroedGradBuffer(weight.Shape, g.DType) is { } buffer)
        {
            MultiplyMatrices(g, 0, input, 0, buffer, 0, transposeA: true, transposeB: false, g.Shape[1], input.Shape[1], g.Shape[0]);
            return null;
        }
        return Product(g, input, transposeA: true, transposeB: false);
    }

    /// <summary>
    /// db = g summed over its rows. For a 2-D g the sum is written into the bias's zeroed gradient buffer when it has one (as
    /// <see cref="WeightGradient"/> does), or else into a tensor of the bias's shape; a g with more axes is returned whole
    /// for the engine to sum down to the bias's shape, one axis at a time.
    /// </summary>
    private static Tensor? BiasGradient(Tensor g, Tensor bias)
    {
        if (g.Rank != 2) return g;
        var buffer = bias.TakeZeroedGradBuffer(bias.Shape, g.DType);
        var db = buffer ?? Tensor.Empty(bias.Shape, g.DType);
        // The kernel the engine's sum over axis 0 runs, so the gradient is the same to the last bit.
        int rows = g.Shape[0], columns = g.Shape[1];
        if (g.DType == DType.Float32) new Reduce.Sum().Apply<float>(g.Span<float>(), 1, rows, columns, db.Span<float>());
        else new Reduce.Sum().Apply<double>(g.Span<double>(), 1, rows, columns, db.Span<double>());
        return buffer is null ? db : null;
    }

    /// <summary>y[.., j] += bias[j] for every row, in place: the bias add of a linear layer without a separate tensor.</summary>
    private static void AddRowsInPlace(Tensor y, Tensor bias)
    {
        if (y.DType == DType.Float32) AddRows(y.Span<float>(), bias.Span<float>());
        else AddRows(y.Span<double>(), bias.Span<double>());
    }

    private static void AddRows<T>(Span<T> values, ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = bias.Length;
        for (int row = 0; row < values.Length; row += width)
        {
            var y = values.Slice(row, width);
            if (width < Gemm.ShortRow)
                for (int j = 0; j < width; j++) y[j] += bias[j];
            else
                TensorPrimitives.Add(y, bias, y);
        }
    }

    /// <summary>
    /// The transpose of axes <paramref name="axis0"/> and <paramref name="axis1"/> (by default the last two), copied.
    /// Its derivative transposes the gradient back.
    /// </summary>
    public static Tensor Transpose(this Tensor x, int axis0 = -2, int axis1 = -1)
    {
        int a0 = x.Shape.NormalizeAxis(axis0, "transpose");
        int a1 = x.Shape.NormalizeAxis(axis1, "transpose");
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        (perm[a0], perm[a1]) = (perm[a1], perm[a0]);
        var sourceStrides = x.Shape.Strides();
        var sizes = perm.Select(p => x.Shape[p]).ToArray();
        var strides = perm.Select(p => sourceStrides[p]).ToArray();
        var y = Tensor.Empty(new Shape(sizes), x.DType);
        KernelRunner.StridedCopy(x, sizes, strides, y);
        return Graph.Record("transpose", y, [x], (a0, a1), static (s, g) => [g.Transpose(s.a0, s.a1)]);
    }

    /// <summary>
    /// C = op(A)·op(B) over broadcast batch axes, where op transposes the last two axes when its flag is set. Backward
    /// reuses the flags instead of materialising transposes:
    /// dA = g·op(B)ᵀ (or op(B)·gᵀ when A was transposed), dB = op(A)ᵀ·g (or gᵀ·op(A) when B was transposed).
    /// </summary>
    internal static Tensor MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB) =>
        Graph.Record("matmul", Product(a, b, transposeA, transposeB), [a, b], (a, b, transposeA, transposeB), static (s, g) => [
            !s.a.RequiresGrad ? null : s.transposeA ? MatMul(s.b, g, s.transposeB, true) : MatMul(g, s.b, false, !s.transposeB),
            !s.b.RequiresGrad ? null : s.transposeB ? MatMul(g, s.a, true, s.transposeA) : MatMul(s.a, g, !s.transposeA, false),
        ]);

    /// <summary>op(A)·op(B) over broadcast batch axes, computed without recording.</summary>
    private static Tensor Product(Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        int m = transposeA ? a.Shape[-1] : a.Shape[-2];
        int k = transposeA ? a.Shape[-2] : a.Shape[-1];
        int kb = transposeB ? b.Shape[-1] : b.Shape[-2];
        int n = transposeB ? b.Shape[-2] : b.Shape[-1];
        CheckInner(a.Shape, b.Shape, k, kb);
        a.RequireFloatingPoint("matmul");
        if (a.Rank == 2 && b.Rank == 2)
        {
            // The common case (every linear layer): one product, none of the batch bookkeeping below.
            var matrix = Tensor.Empty(new Shape(m, n), a.DType);
            MultiplyMatrices(a, 0, b, 0, matrix, 0, transposeA, transposeB, m, n, k);
            return matrix;
        }

        var aBatch = new Shape(a.Shape.Dims[..^2]);
        var bBatch = new Shape(b.Shape.Dims[..^2]);
        Shape batch;
        try { batch = Shape.Broadcast(aBatch, bBatch, "matmul"); }
        catch (ArgumentException) { throw new ArgumentException($"matmul: batch dimensions of shapes {a.Shape} and {b.Shape} cannot be broadcast together"); }

        var c = Tensor.Empty(new Shape([.. batch.Dims, m, n]), a.DType);
        var aStrides = aBatch.BroadcastStrides(batch);
        var bStrides = bBatch.BroadcastStrides(batch);
        var batchStrides = batch.Strides();
        for (int index = 0; index < batch.NumElements; index++)
        {
            int aMatrix = 0, bMatrix = 0;
            for (int axis = 0, rest = index; axis < batch.Rank; axis++)
            {
                int i = rest / batchStrides[axis];
                rest %= batchStrides[axis];
                aMatrix += i * aStrides[axis];
                bMatrix += i * bStrides[axis];
            }
            MultiplyMatrices(a, aMatrix * m * k, b, bMatrix * k * n, c, index * m * n, transposeA, transposeB, m, n, k);
        }

        return c;
    }

    /// <summary>One matrix product between matrices that start at the given element offsets of three tensors.</summary>
    private static void MultiplyMatrices(Tensor a, int aStart, Tensor b, int bStart, Tensor c, int cStart, bool transposeA, bool transposeB, int m, int n, int k)
    {
        if (a.DType == DType.Float32)
        {
            Gemm.Multiply(transposeA, transposeB, m, n, k, a.Span<float>().Slice(aStart, m * k), b.Span<float>().Slice(bStart, k * n), c.Span<float>().Slice(cStart, m * n));
        }
        else
        {
            Gemm.Multiply(transposeA, transposeB, m, n, k, a.Span<double>().Slice(aStart, m * k), b.Span<double>().Slice(bStart, k * n), c.Span<double>().Slice(cStart, m * n));
        }
    }

    private static void CheckInner(Shape a, Shape b, int k, int kb)
    {
        if (k != kb) throw new ArgumentException($"matmul: shapes {a} and {b} cannot be multiplied");
    }
}
