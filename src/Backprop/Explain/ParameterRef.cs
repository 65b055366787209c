namespace Backprop.Explain;

/// <summary>
/// One weight or bias of a fully-connected network, named as a playground draws it: layers are counted from the input
/// (layer 0) to the L-th <see cref="NN.Linear"/> layer (layer L, from 1), neurons from 0 within each layer.
/// <see cref="Weight"/> w[L][I→J] joins neuron I of layer L−1 to neuron J of layer L (the Linear's <c>weight[J, I]</c>);
/// <see cref="Bias"/> b[L][J] is added to neuron J's weighted sum (<c>bias[J]</c>).
/// </summary>
public sealed record ParameterRef
{
    private ParameterRef(int layer, int? from, int to)
    {
        Layer = layer;
        From = from;
        To = to;
    }

    /// <summary>L, the Linear layer the parameter belongs to, from 1.</summary>
    public int Layer { get; }

    /// <summary>I, the neuron of layer L−1 a weight comes from; null for a bias.</summary>
    public int? From { get; }

    /// <summary>J, the neuron of layer L the weight leads to or the bias belongs to.</summary>
    public int To { get; }

    /// <summary>True for a bias, false for a weight.</summary>
    public bool IsBias => From is null;

    /// <summary>w[<paramref name="layer"/>][<paramref name="from"/>→<paramref name="to"/>].</summary>
    public static ParameterRef Weight(int layer, int from, int to) => new(layer, from, to);

    /// <summary>b[<paramref name="layer"/>][<paramref name="neuron"/>].</summary>
    public static ParameterRef Bias(int layer, int neuron) => new(layer, null, neuron);

    /// <summary>The parameter as the narration writes it: <c>w2[0→1]</c> or <c>b2[1]</c>.</summary>
    public override string ToString() => From is { } from ? $"w{Layer}[{from}→{To}]" : $"b{Layer}[{To}]";
}
