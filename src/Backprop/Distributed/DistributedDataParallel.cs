using Backprop.NN;

namespace Backprop.Distributed;

/// <summary>
/// Synchronous data-parallel training of <see cref="Model"/> over the ranks of a <see cref="ProcessGroup"/>, the way
/// PyTorch's <c>DistributedDataParallel</c> does it. Made on every rank, it copies rank 0's parameters and buffers to the
/// others, so that all start equal; after each backward pass, <see cref="ReduceGradients"/> leaves every gradient averaged
/// over the ranks, so that the same optimizer step keeps them equal. Gradients are averaged in buckets of about
/// <c>bucketBytes</c>, filled in reverse parameter order (roughly the order backward produces them): a bucket's all-reduce
/// starts as soon as backward has finished with its last parameter, while backward goes on with the layers below.
/// BatchNorm normalises each rank's batch by that batch's own statistics and keeps running statistics per rank, as DDP
/// without SyncBatchNorm; <see cref="BroadcastBuffers"/> gives every rank rank 0's (before a sharded evaluation).
/// Unlike PyTorch's, it does not wrap the model: the model is trained as it is (its state dict keys are unchanged) and
/// the <see cref="Training.Trainer"/> calls <see cref="ReduceGradients"/> (set its <c>Distributed</c>).
/// </summary>
public sealed class DistributedDataParallel : IDisposable
{
    /// <summary>The default bucket size: 4 MiB of float32 gradients.</summary>
    public const int DefaultBucketBytes = 4 << 20;

    private readonly GradientBucket[] buckets;
    private readonly Dictionary<Tensor, (GradientBucket Bucket, int Slot)> slots = new(ReferenceEqualityComparer.Instance);
    private readonly List<IDisposable> hooks = [];
    private int started;

    /// <summary>
    /// Makes <paramref name="model"/> (built the same way on every rank) data-parallel over <paramref name="group"/>:
    /// broadcasts rank 0's parameters and buffers, and hooks every float32 parameter that requires grad.
    /// </summary>
    public DistributedDataParallel(Module model, ProcessGroup group, int bucketBytes = DefaultBucketBytes)
    {
        if (bucketBytes < 1) throw new ArgumentException($"distributed data parallel: the bucket size must be at least 1 byte, got {bucketBytes}");
        Model = model;
        Group = group;
        var trained = model.NamedParameters().Where(p => p.Value.RequiresGrad).ToList();
        if (trained.FirstOrDefault(p => p.Value.DType != DType.Float32) is { Key: { } name } other)
        {
            throw new ArgumentException($"distributed data parallel: parameter '{name}' is {other.Value.DType}; gradients are averaged in float32");
        }
        BroadcastParameters();
        BroadcastBuffers();
        buckets = [.. Buckets(trained.Select(p => p.Value).Reverse(), bucketBytes)];
        foreach (var bucket in buckets)
        {
            for (int slot = 0; slot < bucket.Parameters.Count; slot++)
            {
                slots.Add(bucket.Parameters[slot], (bucket, slot));
                hooks.Add(bucket.Parameters[slot].RegisterPostAccumulateGradHook(OnGradientReady));
            }
        }
    }

    /// <summary>The model every rank trains a copy of.</summary>
    public Module Model { get; }

    /// <summary>The ranks that train it.</summary>
    public ProcessGroup Group { get; }

    /// <summary>How many buckets (all-reduces per step) the gradients are averaged in.</summary>
    public int BucketCount => buckets.Length;

    /// <summary>
    /// Waits until every gradient is the average over the ranks: starts the all-reduce of any bucket backward did not fill
    /// (parameters it did not reach count as zero gradients), waits for all, and writes the averages into the gradients.
    /// Call it after each backward pass, before the optimizer step.
    /// </summary>
    public void ReduceGradients()
    {
        // Buckets start in index order on every rank, as MPI needs the same collectives in the same order everywhere.
        for (; started < buckets.Length; started++)
        {
            buckets[started].FillRest();
            buckets[started].Start(Group);
        }
        foreach (var bucket in buckets) bucket.Finish(Group.WorldSize);
        started = 0;
    }

    /// <summary>Copies rank 0's buffers (BatchNorm's running statistics) to every rank.</summary>
    public void BroadcastBuffers()
    {
        foreach (var buffer in Model.Buffers()) Broadcast(buffer);
    }

    /// <summary>Removes the hooks from the model's parameters: backward passes no longer feed the buckets.</summary>
    public void Dispose()
    {
        foreach (var hook in hooks) hook.Dispose();
        hooks.Clear();
    }

    private void BroadcastParameters()
    {
        foreach (var parameter in Model.Parameters()) Broadcast(parameter);
    }

    private void Broadcast(Tensor tensor)
    {
        switch (tensor.DType)
        {
            case DType.Float32: Group.Broadcast(tensor.Span<float>()); break;
            case DType.Float64: Group.Broadcast(tensor.Span<double>()); break;
            default: Group.Broadcast(tensor.Span<long>()); break;
        }
    }

    private void OnGradientReady(Tensor parameter)
    {
        var (bucket, slot) = slots[parameter];
        bucket.Fill(slot);
        while (started < buckets.Length && buckets[started].IsFilled) buckets[started++].Start(Group);
        // Open MPI advances a started all-reduce only inside MPI calls: give the running ones a turn while backward goes on.
        for (int i = 0; i < started; i++) buckets[i].Progress();
    }

    /// <summary>Consecutive parameters, a new bucket each time the current one reaches <paramref name="bucketBytes"/>.</summary>
    private static IEnumerable<GradientBucket> Buckets(IEnumerable<Tensor> parameters, int bucketBytes)
    {
        var current = new List<Tensor>();
        long bytes = 0;
        foreach (var parameter in parameters)
        {
            current.Add(parameter);
            bytes += parameter.Count * sizeof(float);
            if (bytes < bucketBytes) continue;
            yield return new GradientBucket(current);
            current = [];
            bytes = 0;
        }
        if (current.Count > 0) yield return new GradientBucket(current);
    }
}
