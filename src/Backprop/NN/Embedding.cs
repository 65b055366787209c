namespace Backprop.NN;

/// <summary>
/// A lookup table of <see cref="NumEmbeddings"/> vectors of <see cref="EmbeddingDim"/> values, as PyTorch's
/// <c>nn.Embedding</c>: int64 indices [...] become [..., embedding_dim]. Its weight [num_embeddings, embedding_dim] is drawn
/// from N(0, 1) as PyTorch's, the row <see cref="PaddingIdx"/> (when given) zeroed; that row gets no gradient.
/// See <see cref="Embeddings.Embedding"/>.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>A table of <paramref name="numEmbeddings"/> rows of <paramref name="embeddingDim"/> values.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, DType dtype = DType.Float32, Generator? generator = null)
    {
        if (numEmbeddings < 1 || embeddingDim < 1)
        {
            throw new ArgumentException($"Embedding: sizes must be at least 1, got {numEmbeddings} embeddings of {embeddingDim} values");
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = Embeddings.NormalizePaddingIdx("Embedding", paddingIdx, numEmbeddings);
        var weight = Tensor.Randn([numEmbeddings, embeddingDim], generator, dtype);
        if (PaddingIdx is { } padding)
        {
            // As PyTorch: the padding row starts at zero, and stays there since it gets no gradient.
            if (dtype == DType.Float32) weight.Span<float>().Slice(padding * embeddingDim, embeddingDim).Clear();
            else weight.Span<double>().Slice(padding * embeddingDim, embeddingDim).Clear();
        }
        Weight = RegisterParameter("weight", weight);
    }

    private Embedding(Tensor weight, int? paddingIdx)
    {
        NumEmbeddings = weight.Shape[0];
        EmbeddingDim = weight.Shape[1];
        PaddingIdx = Embeddings.NormalizePaddingIdx("Embedding", paddingIdx, NumEmbeddings);
        Weight = RegisterParameter("weight", weight);
    }

    /// <summary>
    /// A table whose weight is <paramref name="embeddings"/> [num_embeddings, embedding_dim] itself, not a copy, as
    /// PyTorch's <c>Embedding.from_pretrained</c>; with <paramref name="freeze"/> false the table trains, and a tensor
    /// that is also another module's parameter is then one weight tied between the two (GPT's token embedding and head).
    /// </summary>
    public static Embedding FromPretrained(Tensor embeddings, bool freeze = true, int? paddingIdx = null)
    {
        if (embeddings.Rank != 2 || embeddings.DType == DType.Int64)
        {
            throw new ArgumentException($"Embedding.from_pretrained: embeddings must be a 2-dimensional floating-point tensor [num_embeddings, embedding_dim], got {embeddings.DType} of shape {embeddings.Shape}");
        }
        var embedding = new Embedding(embeddings, paddingIdx);
        embeddings.RequiresGrad = !freeze;
        return embedding;
    }

    /// <summary>The number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>The length of each row.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The row that stays as it is in training (in [0, num_embeddings), a negative argument counted from the end), or null.</summary>
    public int? PaddingIdx { get; }

    /// <summary>The table, shape [num_embeddings, embedding_dim].</summary>
    public Tensor Weight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Embeddings.Embedding(Weight, input, PaddingIdx);
}
