using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Explain;

/// <summary>
/// The attention weights a model computes for one sequence, per layer and head: the probabilities that
/// <see cref="Attention.ScaledDotProductAttention"/> itself computed during one forward pass (the op records them), so
/// any model whose attention goes through that op — <see cref="GPT"/>, <see cref="CausalSelfAttention"/>,
/// <see cref="MultiheadAttention"/>, a user's own module — shows exactly what it computed.
/// </summary>
public static class AttentionMaps
{
    /// <summary>The maps for <paramref name="tokens"/>, given to the model as int64 indices [1, T] (as a GPT takes them).</summary>
    public static IReadOnlyList<AttentionMap> Of(Module model, int[] tokens)
    {
        if (tokens.Length == 0) throw new ArgumentException("attention maps: the token sequence is empty");
        return Of(model, Tensor.FromArray([.. tokens.Select(token => (long)token)], new Shape(1, tokens.Length)));
    }

    /// <summary>
    /// The maps for one sequence <paramref name="input"/>, in whatever layout the model takes (a batch of one), after one
    /// forward pass in eval mode without gradients; the model is back in its mode afterwards. Layers are numbered in the
    /// order the model's attention calls ran.
    /// </summary>
    public static IReadOnlyList<AttentionMap> Of(Module model, Tensor input)
    {
        bool wasTraining = model.IsTraining;
        model.Eval(); // dropout off, and CausalSelfAttention's attention through the op
        using var recorder = new AttentionWeightsRecorder();
        try
        {
            using (new NoGrad()) model.Forward(input);
        }
        finally
        {
            model.Train(wasTraining);
        }
        if (recorder.Weights.Count == 0) throw new ArgumentException($"attention maps: {model.GetType().Name} computed no scaled dot-product attention");

        var maps = new List<AttentionMap>();
        for (int layer = 0; layer < recorder.Weights.Count; layer++)
        {
            var weights = recorder.Weights[layer];
            var shape = weights.Shape.ToArray(); // [..., (heads,) L, S]
            int queries = shape[^2], keys = shape[^1];
            int heads = shape.Length >= 3 ? shape[^3] : 1;
            int sequences = weights.Count / (heads * queries * keys);
            if (sequences != 1)
            {
                throw new ArgumentException($"attention maps: attention call {layer} attended over {sequences} sequences at once (weights of shape {weights.Shape}); give the model one sequence (a MultiheadAttention with batch_first=False reads [L, N, E])");
            }
            var values = weights.ToDoubleArray();
            for (int head = 0; head < heads; head++)
            {
                var map = new double[queries, keys];
                for (int i = 0; i < queries; i++)
                {
                    for (int j = 0; j < keys; j++) map[i, j] = values[(head * queries + i) * keys + j];
                }
                maps.Add(new AttentionMap(layer, head, map));
            }
        }
        return maps;
    }
}
