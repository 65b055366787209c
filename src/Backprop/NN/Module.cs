namespace Backprop.NN;

/// <summary>
/// A building block of a network: it owns parameters (tensors that training adjusts) and maps an input to an output.
/// Subclasses register their parameters explicitly (no reflection), as PyTorch's <c>register_parameter</c>.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> parameters = [];

    /// <summary>The forward pass.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Every parameter, in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => parameters.Select(p => p.Value);

    /// <summary>Every parameter with its name, as PyTorch's <c>named_parameters()</c>.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters() => parameters;

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Registers <paramref name="value"/> as a trainable parameter (it will require grad) under <paramref name="name"/>.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        if (parameters.Exists(p => p.Key == name)) throw new ArgumentException($"module: a parameter named '{name}' is already registered");
        value.RequiresGrad = true;
        parameters.Add(new(name, value));
        return value;
    }
}
