using System.Collections;

namespace Backprop.Data;

/// <summary>One mini-batch: features [B, …] and targets [B, …], each example in the data set's shape.</summary>
public sealed record Batch(Tensor Features, Tensor Targets);

/// <summary>
/// Cuts a data set into mini-batches, as PyTorch's <c>DataLoader</c>: each enumeration is one epoch, in the order its
/// <see cref="Sampler"/> gives (file order, a fresh seeded shuffle, or a rank's shard), and the last partial batch is kept.
/// </summary>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly Dataset data;

    /// <summary>Batches of <paramref name="batchSize"/> from <paramref name="data"/>, shuffled from <paramref name="generator"/> when asked.</summary>
    public DataLoader(Dataset data, int batchSize, bool shuffle = false, Generator? generator = null)
        : this(data, batchSize, shuffle ? new RandomSampler(data.Count, generator ?? Generator.Default) : new SequentialSampler(data.Count))
    {
    }

    /// <summary>Batches of <paramref name="batchSize"/> from <paramref name="data"/>, in the order <paramref name="sampler"/> gives each epoch.</summary>
    public DataLoader(Dataset data, int batchSize, Sampler sampler)
    {
        if (batchSize < 1) throw new ArgumentException($"dataloader: batch size must be at least 1, got {batchSize}");
        this.data = data;
        BatchSize = batchSize;
        Sampler = sampler;
    }

    /// <summary>Examples per batch (the last batch may have fewer).</summary>
    public int BatchSize { get; }

    /// <summary>Which examples each epoch visits, and in what order.</summary>
    public Sampler Sampler { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => (Sampler.Count + BatchSize - 1) / BatchSize;

    /// <inheritdoc/>
    public IEnumerator<Batch> GetEnumerator()
    {
        var order = Sampler.ToArray();
        foreach (int example in order)
        {
            if ((uint)example >= (uint)data.Count) throw new ArgumentException($"dataloader: the sampler gives example {example}, but the data set has {data.Count}");
        }
        var exampleDims = data.Features.Shape.ToArray()[1..];
        var targetDims = data.Targets.Shape.ToArray()[1..];
        int width = data.FeatureCount, targetWidth = new Shape(targetDims).NumElements;
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            int size = Math.Min(BatchSize, order.Length - start);
            // Inside a TensorScope (the trainer opens one per step) the batch's memory comes from the pool and goes back.
            var x = Tensor.Empty(new Shape([size, .. exampleDims]), DType.Float32);
            var y = Tensor.Empty(new Shape([size, .. targetDims]), data.Targets.DType);
            for (int i = 0; i < size; i++)
            {
                int example = order[start + i];
                data.Features.Span<float>().Slice(example * width, width).CopyTo(x.Span<float>().Slice(i * width, width));
                if (y.DType == DType.Int64) data.Targets.Span<long>().Slice(example * targetWidth, targetWidth).CopyTo(y.Span<long>().Slice(i * targetWidth, targetWidth));
                else data.Targets.Span<float>().Slice(example * targetWidth, targetWidth).CopyTo(y.Span<float>().Slice(i * targetWidth, targetWidth));
            }
            yield return new Batch(x, y);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
