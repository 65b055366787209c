using Backprop.Autograd;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Playground.Core;

/// <summary>
/// What every neuron outputs over the plane, on a square grid of <see cref="Resolution"/>² points covering
/// [−<see cref="PlaneData.Extent"/>, <see cref="PlaneData.Extent"/>]², row by row from the top (x₂ = +6) and left to right
/// (x₁ = −6): the maps the page draws. All of them come from one forward pass over the whole grid. <see cref="Values"/>
/// holds a block per layer, as the layer computes it (point by point, each point's neurons side by side): the input
/// features (layer 0), each hidden layer's activations, then the outputs (for cross-entropy, each class's softmax
/// probability). The buffer is allocated once and refilled by every <see cref="Fill"/>, a copy per layer.
/// </summary>
public sealed class NeuronMaps
{
    private readonly Tensor grid;
    private readonly int[] layerStarts;
    private readonly bool softmaxOutputs;

    /// <summary>Maps for the network <paramref name="settings"/> describe, at <paramref name="resolution"/>² points each.</summary>
    public NeuronMaps(PlaygroundSettings settings, int resolution)
    {
        Resolution = resolution;
        int points = resolution * resolution, f = settings.Features.Count;
        LayerSizes = [f, .. settings.NetworkShape, settings.Outputs];
        layerStarts = new int[LayerSizes.Count];
        for (int l = 1; l < LayerSizes.Count; l++) layerStarts[l] = layerStarts[l - 1] + LayerSizes[l - 1];
        Values = new float[(layerStarts[^1] + LayerSizes[^1]) * points];
        softmaxOutputs = settings.Loss is CrossEntropyLoss;

        var inputs = new float[points * f];
        for (int r = 0; r < resolution; r++)
        {
            for (int c = 0; c < resolution; c++)
            {
                int p = r * resolution + c;
                float x1 = Coordinate(c), x2 = -Coordinate(r);
                for (int j = 0; j < f; j++) inputs[p * f + j] = settings.Features[j].Compute(x1, x2);
            }
        }
        grid = Tensor.FromArray(inputs, new Shape(points, f));
        inputs.CopyTo(Values, 0);
    }

    /// <summary>Grid points along each side.</summary>
    public int Resolution { get; }

    /// <summary>Neurons per layer: the input features, each hidden layer, the outputs.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>Every map, one after another (see the class summary).</summary>
    public float[] Values { get; }

    /// <summary>Where layer <paramref name="layer"/>'s block starts in <see cref="Values"/>.</summary>
    public int LayerStart(int layer) => layerStarts[layer] * Resolution * Resolution;

    /// <summary>Neuron <paramref name="neuron"/> of layer <paramref name="layer"/> at grid point <paramref name="point"/> (row · <see cref="Resolution"/> + column).</summary>
    public float this[int layer, int neuron, int point] => Values[LayerStart(layer) + point * LayerSizes[layer] + neuron];

    /// <summary>The coordinate of the centre of grid cell <paramref name="index"/>, from −6 up.</summary>
    public float Coordinate(int index) => -PlaneData.Extent + 2 * PlaneData.Extent * (index + 0.5f) / Resolution;

    /// <summary>Runs <paramref name="model"/> over the grid and stores each hidden layer's and the output's values.</summary>
    internal void Fill(Sequential model)
    {
        using var _ = new NoGrad();
        var x = grid;
        int layer = 0, outputLayer = LayerSizes.Count - 1;
        foreach (var module in model.Layers)
        {
            x = module.Forward(x);
            if (module is Linear) layer++;
            // A hidden layer's activation; the output layer's (tanh for squared-error classification) is stored below.
            else if (layer < outputLayer) Store(layer, x);
        }
        Store(outputLayer, softmaxOutputs ? x.Softmax(-1) : x);
    }

    /// <summary>Copies a layer's outputs, [points, neurons], into its block.</summary>
    private void Store(int layer, Tensor outputs) => outputs.ToFloatArray().CopyTo(Values, LayerStart(layer));
}
