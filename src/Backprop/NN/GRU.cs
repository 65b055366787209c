namespace Backprop.NN;

/// <summary>
/// A gated recurrent unit layer as PyTorch's <c>nn.GRU</c>, its gates in PyTorch's order r, z, n: r = σ(x·W_irᵀ + b_ir +
/// h·W_hrᵀ + b_hr), z = σ(x·W_izᵀ + b_iz + h·W_hzᵀ + b_hz), n = tanh(x·W_inᵀ + b_in + r ⊙ (h·W_hnᵀ + b_hn)) and
/// h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}; b_hn is inside the reset product, as PyTorch's. See <see cref="RecurrentLayer"/>.
/// </summary>
public sealed class GRU : RecurrentLayer
{
    /// <summary>A stack of <paramref name="numLayers"/> cells from <paramref name="inputSize"/> features to <paramref name="hiddenSize"/>.</summary>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0.0,
        DType dtype = DType.Float32, Generator? generator = null)
        : base("GRU", 3, 1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, dtype, generator)
    {
    }

    private protected override Tensor[] Step(Tensor inputGates, Tensor hiddenGates, Tensor[] state)
    {
        var reset = (Gate(inputGates, 0) + Gate(hiddenGates, 0)).Sigmoid();
        var update = (Gate(inputGates, 1) + Gate(hiddenGates, 1)).Sigmoid();
        var candidate = (Gate(inputGates, 2) + reset * Gate(hiddenGates, 2)).Tanh();
        return [(1 - update) * candidate + update * state[0]];
    }
}
