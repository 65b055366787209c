using Backprop;
using Backprop.Autograd;
using BenchmarkDotNet.Attributes;

namespace Kernels;

/// <summary>
/// The kernels a training step of an MLP spends its time in, each through the public op that calls it, under NoGrad and
/// inside a TensorScope (so the figures are the kernels', not the allocator's). Run: dotnet run -c Release --project bench/Kernels
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private readonly Tensor square = Tensor.Rand([1024, 1024], new Generator(1));
    private readonly Tensor batch = Tensor.Rand([64, 784], new Generator(2));
    private readonly Tensor weight = Tensor.Rand([128, 784], new Generator(3));
    private readonly Tensor bias = Tensor.Rand([128], new Generator(4));
    private readonly Tensor hidden = Tensor.Rand([64, 128], new Generator(5));
    private readonly Tensor logits = Tensor.Rand([64, 10], new Generator(6));

    [Benchmark(Description = "GEMM 1024x1024x1024")]
    public void Gemm1024() => Run(() => square.MatMul(square));

    [Benchmark(Description = "linear 64x784 -> 128 (x·Wᵀ + b)")]
    public void Linear() => Run(() => batch.Linear(weight, bias));

    [Benchmark(Description = "weight gradient gᵀ·x (128x64 by 64x784)")]
    public void WeightGradient() => Run(() => hidden.Transpose().MatMul(batch));

    [Benchmark(Description = "ReLU 64x128")]
    public void Relu() => Run(() => hidden.Relu());

    [Benchmark(Description = "log-softmax 64x10")]
    public void LogSoftmax() => Run(() => logits.LogSoftmax());

    [Benchmark(Description = "sum over the batch axis 64x128")]
    public void BiasGradient() => Run(() => hidden.Sum(0));

    private static void Run(Func<Tensor> op)
    {
        using var scope = new TensorScope();
        using var _ = new NoGrad();
        op();
    }
}
