namespace Backprop.NN;

/// <summary>
/// A sequential network Embedding → one or more batch-first RNN/LSTM/GRU layers (Dropout between them allowed) → Linear,
/// generating with its state carried: the prompt runs once from a zero state, then every next token is one time step of
/// each recurrent layer from the state the last one left. The state holds the whole text so far, so nothing is cropped:
/// while the text is within the block size this equals recomputing the cropped context, and beyond it the network keeps
/// reading on from its state as it would over one long sequence.
/// </summary>
internal sealed class RecurrentLogits : NextTokenLogits
{
    private readonly Embedding embedding;
    private readonly Module[] body;
    private readonly Linear head;
    private readonly Tensor[]?[] states; // per module of the body: a recurrent layer's state, null before its first step

    public RecurrentLogits(Sequential network) : base(network)
    {
        embedding = (Embedding)network.Layers[0];
        body = [.. network.Layers.Skip(1).Take(network.Layers.Count - 2)];
        head = (Linear)network.Layers[^1];
        states = new Tensor[]?[body.Length];
    }

    /// <summary>
    /// Whether <paramref name="network"/> is Embedding, batch-first recurrent layers (and dropouts), Linear. A recurrent layer
    /// that is not batch-first would read the [1, T, E] embeddings as T sequences of one step, which no state carries.
    /// </summary>
    public static bool Fits(Sequential network)
    {
        var layers = network.Layers;
        if (layers.Count < 3 || layers[0] is not Embedding || layers[^1] is not Linear) return false;
        var body = layers.Skip(1).Take(layers.Count - 2).ToArray();
        return body.Any(layer => layer is RecurrentLayer) && body.All(layer => layer is RecurrentLayer { BatchFirst: true } or Dropout);
    }

    public override double[] Start(IReadOnlyList<int> prompt)
    {
        Array.Fill(states, null);
        return Step(prompt);
    }

    public override double[] Next(int token) => Step([token]);

    /// <summary>Runs <paramref name="tokens"/> on from the carried state, keeping the state each recurrent layer ends in.</summary>
    private double[] Step(IReadOnlyList<int> tokens) => Infer(() =>
    {
        var x = embedding.Forward(Row(tokens));
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] is RecurrentLayer recurrent) (x, states[i]) = recurrent.ForwardWithState(x, states[i]);
            else x = body[i].Forward(x);
        }
        int t = x.Shape[1];
        return head.Forward(x.Slice(1, t - 1, t));
    });
}
