namespace Backprop.NN;

/// <summary>
/// The architecture text's recurrent layers under <c>torch.nn</c>'s names and signatures: RNN, LSTM and GRU. PyTorch's
/// <c>bidirectional=True</c> and LSTM's <c>proj_size</c> are refused by name. The shape rule maps one example [L, input_size]
/// to [L, hidden_size] whatever <c>batch_first</c> says: that argument only places the batch axis, which the rules leave out
/// (without it the layer reads a batch as [L, N, features], so a network fed [N, L] token batches wants batch_first=True).
/// </summary>
internal static class RecurrentLayers
{
    private static readonly ArgumentValue True = ArgumentValue.Bool(true);
    private static readonly ArgumentValue False = ArgumentValue.Bool(false);

    public static IEnumerable<LayerDefinition> Definitions =>
    [
        Define("RNN", 1, [new("nonlinearity", ArgumentValue.String("tanh"))], [],
            (a, g) => new RNN(a.Int("input_size", 1), a.Int("hidden_size", 1), a.Int("num_layers", 1), a.Choice("nonlinearity", RNN.Nonlinearities),
                a.Bool("bias"), a.Bool("batch_first"), Dropout(a), generator: g)),
        Define("LSTM", 4, [], [new("proj_size", ArgumentValue.Int(0))],
            (a, g) =>
            {
                a.RequireSupported("proj_size", ArgumentValue.Int(0));
                return new LSTM(a.Int("input_size", 1), a.Int("hidden_size", 1), a.Int("num_layers", 1), a.Bool("bias"), a.Bool("batch_first"), Dropout(a), generator: g);
            }),
        Define("GRU", 3, [], [],
            (a, g) => new GRU(a.Int("input_size", 1), a.Int("hidden_size", 1), a.Int("num_layers", 1), a.Bool("bias"), a.Bool("batch_first"), Dropout(a), generator: g)),
    ];

    /// <summary>
    /// A row with PyTorch's parameters in order: input_size, hidden_size, num_layers, <paramref name="afterLayers"/> (RNN's
    /// nonlinearity), bias, batch_first, dropout, bidirectional, then <paramref name="atEnd"/> (LSTM's proj_size).
    /// </summary>
    private static LayerDefinition Define(string name, int gates, LayerParameter[] afterLayers, LayerParameter[] atEnd, Func<LayerArguments, Generator?, Module> build) =>
        new(name,
            [new("input_size"), new("hidden_size"), new("num_layers", ArgumentValue.Int(1)), .. afterLayers, new("bias", True),
             new("batch_first", False), new("dropout", ArgumentValue.Float(0)), new("bidirectional", False), .. atEnd],
            (a, g) =>
            {
                a.RequireSupported("bidirectional", False);
                return build(a, g);
            },
            (a, input) =>
            {
                int inputSize = a.Int("input_size", 1);
                if (input.Length != 2 || input[1] != inputSize)
                {
                    throw new LayerInputException($"examples of shape {LayerCatalog.Format(input)}", $"it reads sequences [L, {inputSize}]");
                }
                return [input[0], a.Int("hidden_size", 1)];
            },
            a =>
            {
                int inputSize = a.Int("input_size", 1), hidden = a.Int("hidden_size", 1), layers = a.Int("num_layers", 1);
                bool bias = a.Bool("bias");
                return [.. Enumerable.Range(0, layers).SelectMany(k => bias
                    ? new (string, int[])[] { ($"weight_ih_l{k}", [gates * hidden, k == 0 ? inputSize : hidden]), ($"weight_hh_l{k}", [gates * hidden, hidden]), ($"bias_ih_l{k}", [gates * hidden]), ($"bias_hh_l{k}", [gates * hidden]) }
                    : [($"weight_ih_l{k}", [gates * hidden, k == 0 ? inputSize : hidden]), ($"weight_hh_l{k}", [gates * hidden, hidden])])];
            });

    /// <summary>dropout: a probability in [0, 1).</summary>
    private static double Dropout(LayerArguments a)
    {
        double p = a.Float("dropout");
        return p >= 0 && p < 1 ? p : throw a.Problem("dropout", $"must be in [0, 1), got {p}");
    }
}
