namespace Backprop.Explain;

/// <summary>
/// One attention head's weights for one sequence: <see cref="Weights"/>[i, j] is how much query position i attends to key
/// position j (each row sums to 1).
/// </summary>
/// <param name="Layer">Which attention call of the model's forward pass, counted from 0: a GPT's block.</param>
/// <param name="Head">The head within that call, from 0.</param>
/// <param name="Weights">[L, S]: L queries over S keys (T × T for self-attention).</param>
public sealed record AttentionMap(int Layer, int Head, double[,] Weights);
