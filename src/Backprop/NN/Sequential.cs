using Backprop.Autograd;

namespace Backprop.NN;

/// <summary>Modules applied one after another, named "0", "1", … as PyTorch's <c>nn.Sequential</c> names them.</summary>
public sealed class Sequential : Module
{
    private readonly Module[] layers;

    /// <summary>Chains <paramref name="layers"/> in order.</summary>
    public Sequential(params Module[] layers)
    {
        this.layers = layers;
        for (int i = 0; i < layers.Length; i++) RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Module> Layers => layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Length; i++)
        {
            using var place = AnomalyMode.Enter(layers[i], i); // names the layer in anomaly reports; nothing when off
            x = layers[i].Forward(x);
        }
        return x;
    }
}
