using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Plots;

/// <summary>Where a model's Conv2d layers are, for the plots that draw them.</summary>
internal static class ConvLayers
{
    /// <summary>The index of the first Conv2d layer, or an error naming the model file when it has none.</summary>
    public static int First(Sequential model, ModelDescription description, string modelPath)
    {
        int index = model.Layers.ToList().FindIndex(layer => layer is Conv2d);
        return index >= 0 ? index : throw new ArgumentException($"--model: '{modelPath}' has no Conv2d layer ({description.Architecture})");
    }
}
