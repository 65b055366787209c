using Backprop.Autograd;

namespace Backprop.NN;

/// <summary>
/// A building block of a network: it owns parameters (tensors that training adjusts) and child modules, and maps an input
/// to an output. Subclasses register parameters and children explicitly (no reflection), as PyTorch's
/// <c>register_parameter</c> and <c>add_module</c>; names nest with dots (<c>0.weight</c>), exactly as PyTorch's.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> parameters = [];
    private readonly List<KeyValuePair<string, Module>> children = [];

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>; Dropout reads it.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The forward pass.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Every parameter of this module and its children, depth first in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>Every parameter with its dotted name, as PyTorch's <c>named_parameters()</c>.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters()
    {
        foreach (var p in parameters) yield return p;
        foreach (var (name, child) in children)
        {
            foreach (var p in child.NamedParameters()) yield return new($"{name}.{p.Key}", p.Value);
        }
    }

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => children;

    /// <summary>
    /// The parameters by name, in order, as tensors that share the parameters' values but carry no gradient state
    /// (PyTorch's <c>state_dict()</c>); the keys are PyTorch's, so the dictionary moves between the two through safetensors.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (name, p) in NamedParameters()) state.Add(name, p.Detach());
        return state;
    }

    /// <summary>
    /// Copies values into the parameters by name. Every parameter must be present with its exact shape, and no other key
    /// may be; values are converted to each parameter's dtype.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = NamedParameters().ToList();
        foreach (var key in state.Keys)
        {
            if (!own.Exists(p => p.Key == key)) throw new ArgumentException($"load_state_dict: unexpected key '{key}' (the model has {string.Join(", ", own.Select(p => p.Key))})");
        }
        foreach (var (name, parameter) in own)
        {
            if (!state.TryGetValue(name, out var value)) throw new ArgumentException($"load_state_dict: missing key '{name}'");
            if (value.Shape != parameter.Shape)
            {
                throw new ArgumentException($"load_state_dict: '{name}' has shape {value.Shape} in the state but {parameter.Shape} in the model");
            }
        }
        using var _ = new NoGrad();
        foreach (var (name, parameter) in own) parameter.CopyInPlace(state[name]);
    }

    /// <summary>Switches this module and its children to training mode (or out of it), as PyTorch's <c>train()</c>.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in children) child.Train(training);
        return this;
    }

    /// <summary>Switches to evaluation mode: Dropout passes everything through.</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Registers <paramref name="value"/> as a trainable parameter (it will require grad) under <paramref name="name"/>.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        RequireNewName(name);
        value.RequiresGrad = true;
        parameters.Add(new(name, value));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its parameters appear as <c>name.parameter</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        RequireNewName(name);
        children.Add(new(name, module));
        return module;
    }

    private void RequireNewName(string name)
    {
        if (parameters.Exists(p => p.Key == name) || children.Exists(c => c.Key == name))
        {
            throw new ArgumentException($"module: the name '{name}' is already registered");
        }
    }
}
