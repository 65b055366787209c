namespace Backprop.NN;

/// <summary>
/// An Elman recurrent layer as PyTorch's <c>nn.RNN</c>: h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh), with act tanh
/// or relu (<see cref="Nonlinearity"/>). See <see cref="RecurrentLayer"/> for the parameters, shapes and state.
/// </summary>
public sealed class RNN : RecurrentLayer
{
    /// <summary>The values <c>nonlinearity</c> takes, as PyTorch's.</summary>
    public static IReadOnlyList<string> Nonlinearities { get; } = ["tanh", "relu"];

    /// <summary>A stack of <paramref name="numLayers"/> cells from <paramref name="inputSize"/> features to <paramref name="hiddenSize"/>.</summary>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false,
        double dropout = 0.0, DType dtype = DType.Float32, Generator? generator = null)
        : base("RNN", 1, 1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, dtype, generator)
    {
        Nonlinearity = Nonlinearities.Contains(nonlinearity)
            ? nonlinearity
            : throw new ArgumentException($"RNN: nonlinearity must be 'tanh' or 'relu', got '{nonlinearity}'");
    }

    /// <summary>"tanh" or "relu".</summary>
    public string Nonlinearity { get; }

    private protected override Tensor[] Step(Tensor inputGates, Tensor hiddenGates, Tensor[] state)
    {
        var z = inputGates + hiddenGates;
        return [Nonlinearity == "tanh" ? z.Tanh() : z.Relu()];
    }
}
