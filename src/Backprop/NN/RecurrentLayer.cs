namespace Backprop.NN;

/// <summary>
/// What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share, as PyTorch's <c>nn.RNNBase</c>: a stack of
/// <see cref="NumLayers"/> cells, each run over the sequence in order, the output sequence of one layer the input of the
/// next. Layer k registers <c>weight_ih_lk</c> [gates·H, in], <c>weight_hh_lk</c> [gates·H, H] and (with a bias)
/// <c>bias_ih_lk</c> and <c>bias_hh_lk</c> [gates·H], all drawn from U(−1/√H, 1/√H) as PyTorch's. Input is [L, N, in]
/// ([N, L, in] with <see cref="BatchFirst"/>, or one unbatched sequence [L, in]); the initial state is zero unless given.
/// The gradients come from the ops the cells are made of (Linear, Slice, Sigmoid, Tanh, Cat, …).
/// </summary>
public abstract class RecurrentLayer : Module
{
    private readonly Generator generator;
    private readonly (Tensor InputWeight, Tensor HiddenWeight, Tensor? InputBias, Tensor? HiddenBias)[] layers;

    /// <summary>Registers the parameters of <paramref name="numLayers"/> cells of <paramref name="gates"/> gates each.</summary>
    private protected RecurrentLayer(string name, int gates, int stateCount, int inputSize, int hiddenSize, int numLayers, bool bias,
        bool batchFirst, double dropout, DType dtype, Generator? generator)
    {
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1)
        {
            throw new ArgumentException($"{name}: input_size, hidden_size and num_layers must be at least 1, got {inputSize}, {hiddenSize} and {numLayers}");
        }
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bias = bias;
        BatchFirst = batchFirst;
        Dropout = NN.Dropout.CheckProbability(name, dropout);
        StateCount = stateCount;
        this.generator = generator ?? Generator.Default;
        double bound = 1 / Math.Sqrt(hiddenSize);
        Tensor Draw(string parameter, Shape shape) => RegisterParameter(parameter, Tensor.Uniform(shape, -bound, bound, generator, dtype));
        layers = new (Tensor, Tensor, Tensor?, Tensor?)[numLayers];
        for (int k = 0; k < numLayers; k++)
        {
            // PyTorch's registration order per layer: both weights, then both biases.
            var inputWeight = Draw($"weight_ih_l{k}", new Shape(gates * hiddenSize, k == 0 ? inputSize : hiddenSize));
            var hiddenWeight = Draw($"weight_hh_l{k}", new Shape(gates * hiddenSize, hiddenSize));
            layers[k] = bias
                ? (inputWeight, hiddenWeight, Draw($"bias_ih_l{k}", new Shape(gates * hiddenSize)), Draw($"bias_hh_l{k}", new Shape(gates * hiddenSize)))
                : (inputWeight, hiddenWeight, null, null);
        }
    }

    /// <summary>The number of input features.</summary>
    public int InputSize { get; }

    /// <summary>H, the number of features of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>The number of stacked cells.</summary>
    public int NumLayers { get; }

    /// <summary>Whether the cells have the biases b_ih and b_hh.</summary>
    public bool Bias { get; }

    /// <summary>Whether input and output are [N, L, features] instead of [L, N, features] (the state never is).</summary>
    public bool BatchFirst { get; }

    /// <summary>The dropout probability on each layer's output but the last, in training mode only.</summary>
    public double Dropout { get; }

    /// <summary>The number of state tensors: 1 (h) for RNN and GRU, 2 (h, c) for LSTM.</summary>
    public int StateCount { get; }

    /// <summary>The output sequence of the last layer, [L, N, H] ([N, L, H] with <see cref="BatchFirst"/>), as the first element of PyTorch's tuple.</summary>
    public override Tensor Forward(Tensor input) => ForwardWithState(input).Output;

    /// <summary>
    /// The output sequence and the final state, PyTorch's <c>output, h_n</c> (<c>output, (h_n, c_n)</c> for an LSTM):
    /// <paramref name="state"/> and the returned state hold <see cref="StateCount"/> tensors [num_layers, N, H] ([num_layers, H]
    /// for an unbatched input); a null state starts from zeros. Passing the returned state to the next call continues the sequence.
    /// </summary>
    public (Tensor Output, Tensor[] State) ForwardWithState(Tensor input, Tensor[]? state = null)
    {
        string name = GetType().Name;
        if ((input.Rank != 2 && input.Rank != 3) || input.Shape[-1] != InputSize)
        {
            throw new ArgumentException($"{name}: input of shape {input.Shape} must be [L, N, {InputSize}]{(BatchFirst ? " with the batch first" : "")} or unbatched [L, {InputSize}]");
        }
        bool batched = input.Rank == 3;
        // Internally always [L, N, features].
        var x = !batched ? input.Unsqueeze(1) : BatchFirst ? input.Transpose(0, 1) : input;
        int batch = x.Shape[1];
        var expected = batched ? new Shape(NumLayers, batch, HiddenSize) : new Shape(NumLayers, HiddenSize);
        if (state is not null && (state.Length != StateCount || state.Any(s => s.Shape != expected)))
        {
            throw new ArgumentException($"{name}: the state must be {StateCount} tensor(s) of shape {expected}, got {state.Length} of shape {string.Join(", ", state.Select(s => s.Shape.ToString()))}");
        }
        var finals = Enumerable.Range(0, StateCount).Select(_ => new List<Tensor>()).ToArray();
        for (int k = 0; k < NumLayers; k++)
        {
            var (inputWeight, hiddenWeight, inputBias, hiddenBias) = layers[k];
            var current = state is null
                ? [.. Enumerable.Range(0, StateCount).Select(_ => Tensor.Zeros(new Shape(batch, HiddenSize), x.DType))]
                : state.Select(s => s.Slice(0, k, k + 1).Reshape(batch, HiddenSize)).ToArray();
            // The input's part of every gate for all time steps in one product; the hidden part has to wait for each step.
            var inputGates = x.Linear(inputWeight, inputBias);
            var outputs = new Tensor[x.Shape[0]];
            for (int t = 0; t < outputs.Length; t++)
            {
                current = Step(inputGates.Slice(0, t, t + 1).Squeeze(0), current[0].Linear(hiddenWeight, hiddenBias), current);
                outputs[t] = current[0].Unsqueeze(0);
            }
            x = Shaping.Cat(outputs, 0);
            if (k < NumLayers - 1 && IsTraining && Dropout > 0) x = NN.Dropout.Drop(x, x.Shape, Dropout, generator);
            for (int s = 0; s < StateCount; s++) finals[s].Add(current[s].Unsqueeze(0));
        }
        var final = finals.Select(f => Shaping.Cat(f, 0)).ToArray();
        if (!batched) return (x.Squeeze(1), [.. final.Select(f => f.Squeeze(1))]);
        return (BatchFirst ? x.Transpose(0, 1) : x, final);
    }

    /// <summary>
    /// One time step of one cell: from the gates' input part x·W_ihᵀ + b_ih and hidden part h·W_hhᵀ + b_hh, both [N, gates·H]
    /// in PyTorch's gate order, and the state (h first), the next state.
    /// </summary>
    private protected abstract Tensor[] Step(Tensor inputGates, Tensor hiddenGates, Tensor[] state);

    /// <summary>Gate <paramref name="index"/> of <paramref name="gates"/>, [N, H].</summary>
    private protected Tensor Gate(Tensor gates, int index) => gates.Slice(-1, index * HiddenSize, (index + 1) * HiddenSize);
}
