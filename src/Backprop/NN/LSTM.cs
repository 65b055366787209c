namespace Backprop.NN;

/// <summary>
/// A long short-term memory layer as PyTorch's <c>nn.LSTM</c>, its gates in PyTorch's order i, f, g, o along the rows of
/// the weights: with a = x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh split in four, i = σ(a_i), f = σ(a_f), g = tanh(a_g),
/// o = σ(a_o); c_t = f ⊙ c_{t−1} + i ⊙ g and h_t = o ⊙ tanh(c_t). The state is (h, c). See <see cref="RecurrentLayer"/>.
/// </summary>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>A stack of <paramref name="numLayers"/> cells from <paramref name="inputSize"/> features to <paramref name="hiddenSize"/>.</summary>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0.0,
        DType dtype = DType.Float32, Generator? generator = null)
        : base("LSTM", 4, 2, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, dtype, generator)
    {
    }

    private protected override Tensor[] Step(Tensor inputGates, Tensor hiddenGates, Tensor[] state)
    {
        var a = inputGates + hiddenGates;
        var cell = Gate(a, 1).Sigmoid() * state[1] + Gate(a, 0).Sigmoid() * Gate(a, 2).Tanh();
        return [Gate(a, 3).Sigmoid() * cell.Tanh(), cell];
    }
}
