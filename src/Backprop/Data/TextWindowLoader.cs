namespace Backprop.Data;

/// <summary>
/// Batches of windows of a token sequence for next-token prediction, as nanoGPT's <c>get_batch</c>: B windows of T tokens,
/// inputs <c>tokens[o : o+T]</c> and targets <c>tokens[o+1 : o+T+1]</c>, both int64 tensors [B, T]. Shuffled, each window's
/// offset o is drawn uniformly from [0, n − T) by the seeded generator (nanoGPT's <c>torch.randint(len(data) - block_size)</c>),
/// so there are no epochs: every batch is a fresh draw. In order, batch s takes the windows starting at (s·B + b)·T for
/// b = 0 … B − 1: consecutive, non-overlapping, in file order (how a PyTorch reference run is replayed). Past the last whole
/// window the order wraps around to the first, so a run of any number of steps never runs out: window w is
/// w mod ⌊(n − 1) / T⌋.
/// </summary>
public sealed class TextWindowLoader
{
    private readonly TokenSequence tokens;

    /// <summary>
    /// Batches of <paramref name="batchSize"/> windows of <paramref name="blockSize"/> tokens from <paramref name="tokens"/>,
    /// at offsets drawn from <paramref name="generator"/> (<see cref="Generator.Default"/> when none is given) when
    /// <paramref name="shuffle"/>, else in order. The sequence must hold at least one window and its targets, T + 1 tokens.
    /// </summary>
    public TextWindowLoader(TokenSequence tokens, int batchSize, int blockSize, bool shuffle = true, Generator? generator = null)
    {
        if (batchSize < 1) throw new ArgumentException($"text batches: batch size must be at least 1, got {batchSize}");
        if (blockSize < 1) throw new ArgumentException($"text batches: block size must be at least 1, got {blockSize}");
        if (tokens.Count < blockSize + 1)
            throw new ArgumentException($"{tokens.Name}: {tokens.Count} tokens, but a window of {blockSize} tokens and its next-token targets need {blockSize + 1}");
        this.tokens = tokens;
        BatchSize = batchSize;
        BlockSize = blockSize;
        Shuffle = shuffle;
        Generator = generator ?? Generator.Default;
        WindowCount = (tokens.Count - 1) / blockSize;
    }

    /// <summary>Windows per batch (B).</summary>
    public int BatchSize { get; }

    /// <summary>Tokens per window (T, nanoGPT's <c>block_size</c>).</summary>
    public int BlockSize { get; }

    /// <summary>Whether offsets are drawn at random (else batches go through the text in order).</summary>
    public bool Shuffle { get; }

    /// <summary>The generator shuffled offsets are drawn from (a checkpoint saves and restores its state).</summary>
    public Generator Generator { get; }

    /// <summary>Whole, non-overlapping windows in the sequence, ⌊(n − 1) / T⌋: the windows that batches in order go through.</summary>
    public int WindowCount { get; }

    /// <summary>How many batches have been taken; in order, the next batch is batch <see cref="Step"/> (set it to resume a run).</summary>
    public long Step
    {
        get;
        set => field = value >= 0 ? value : throw new ArgumentException($"text batches: step must be zero or more, got {value}");
    }

    /// <summary>The next batch: inputs [B, T] and targets [B, T], the inputs shifted by one token (int64 class indices).</summary>
    public Batch NextBatch()
    {
        // Inside a TensorScope (the trainer opens one per step) the batch's memory comes from the pool and goes back.
        var inputs = Tensor.Empty(new Shape(BatchSize, BlockSize), DType.Int64);
        var targets = Tensor.Empty(new Shape(BatchSize, BlockSize), DType.Int64);
        for (int b = 0; b < BatchSize; b++)
        {
            int offset = Shuffle ? Generator.NextInt(tokens.Count - BlockSize) : (int)((Step * BatchSize + b) % WindowCount) * BlockSize;
            tokens.CopyTo(offset, inputs.Span<long>().Slice(b * BlockSize, BlockSize));
            tokens.CopyTo(offset + 1, targets.Span<long>().Slice(b * BlockSize, BlockSize));
        }
        Step++;
        return new Batch(inputs, targets);
    }
}
