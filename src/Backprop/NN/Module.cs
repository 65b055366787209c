using Backprop.Autograd;

namespace Backprop.NN;

/// <summary>
/// A building block of a network: it owns parameters (tensors that training adjusts), buffers (state that is not trained
/// but travels with the model, such as BatchNorm's running statistics) and child modules, and maps an input to an output.
/// Subclasses register parameters, buffers and children explicitly (no reflection), as PyTorch's
/// <c>register_parameter</c>, <c>register_buffer</c> and <c>add_module</c>; names nest with dots (<c>0.weight</c>,
/// <c>1.running_mean</c>), exactly as PyTorch's.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> buffers = [];
    private readonly HashSet<string> transientBuffers = [];
    private readonly List<KeyValuePair<string, Module>> children = [];

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>; Dropout, Dropout2d and BatchNorm read it.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The forward pass.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Every parameter of this module and its children, depth first in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>
    /// Every parameter with its dotted name, as PyTorch's <c>named_parameters()</c>: a tensor registered under two names
    /// (a tied weight, such as GPT's token embedding and output head) is listed once, under the first name, so an
    /// optimizer steps it once with the sum of both gradients. <see cref="StateDict"/> lists it under both names.
    /// </summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in AllNamedParameters())
        {
            if (seen.Add(p.Value)) yield return p;
        }
    }

    /// <summary>Every registration of a parameter, duplicates included.</summary>
    private IEnumerable<KeyValuePair<string, Tensor>> AllNamedParameters()
    {
        foreach (var p in parameters) yield return p;
        foreach (var (name, child) in children)
        {
            foreach (var p in child.AllNamedParameters()) yield return new($"{name}.{p.Key}", p.Value);
        }
    }

    /// <summary>Every buffer of this module and its children, depth first in registration order.</summary>
    public IEnumerable<Tensor> Buffers() => NamedBuffers().Select(b => b.Value);

    /// <summary>Every buffer with its dotted name, as PyTorch's <c>named_buffers()</c> (persistent or not).</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers()
    {
        foreach (var b in buffers) yield return b;
        foreach (var (name, child) in children)
        {
            foreach (var b in child.NamedBuffers()) yield return new($"{name}.{b.Key}", b.Value);
        }
    }

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => children;

    /// <summary>
    /// The parameters and persistent buffers by name, as tensors that share their values but carry no gradient state
    /// (PyTorch's <c>state_dict()</c>), in PyTorch's order: a module's own parameters, then its own buffers, then each
    /// child's entries in turn. The keys are PyTorch's, so the dictionary moves between the two through safetensors.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (name, value) in NamedState()) state.Add(name, value.Detach());
        return state;
    }

    /// <summary>The state dict's entries with the module's own tensors (PyTorch's <c>_save_to_state_dict</c>, recursively).</summary>
    internal IEnumerable<KeyValuePair<string, Tensor>> NamedState()
    {
        foreach (var p in parameters) yield return p;
        foreach (var b in buffers)
        {
            if (!transientBuffers.Contains(b.Key)) yield return b;
        }
        foreach (var (name, child) in children)
        {
            foreach (var entry in child.NamedState()) yield return new($"{name}.{entry.Key}", entry.Value);
        }
    }

    /// <summary>
    /// Copies values into the parameters and persistent buffers by name. Every one must be present with its exact shape,
    /// and no other key may be; values are converted to each tensor's dtype (a float count into an int64 buffer too). A
    /// tensor registered under two names (a tied weight) needs only one of them, as a hand-made state dict may hold; when
    /// both are given they must be equal, since one tensor cannot take two values.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = NamedState().ToList();
        foreach (var key in state.Keys)
        {
            if (!own.Exists(p => p.Key == key)) throw new ArgumentException($"load_state_dict: unexpected key '{key}' (the model has {string.Join(", ", own.Select(p => p.Key))})");
        }
        // One value per tensor: tied names share the tensor, and the value may come under any of them.
        var values = new List<(Tensor Target, Tensor Value)>();
        foreach (var names in own.GroupBy(p => p.Value, p => p.Key, ReferenceEqualityComparer.Instance))
        {
            var tensor = (Tensor)names.Key!;
            var given = names.Where(state.ContainsKey).ToList();
            if (given.Count == 0) throw new ArgumentException($"load_state_dict: missing key '{names.First()}'");
            foreach (var name in given)
            {
                if (state[name].Shape != tensor.Shape)
                {
                    throw new ArgumentException($"load_state_dict: '{name}' has shape {state[name].Shape} in the state but {tensor.Shape} in the model");
                }
            }
            var value = state[given[0]];
            foreach (var name in given.Skip(1))
            {
                if (!state[name].ToDoubleArray().AsSpan().SequenceEqual(value.ToDoubleArray()))
                {
                    throw new ArgumentException($"load_state_dict: '{name}' differs from '{given[0]}', which it is tied to (one tensor under both names)");
                }
            }
            values.Add((tensor, value));
        }
        using var _ = new NoGrad();
        foreach (var (target, value) in values) target.CopyInPlace(value);
    }

    /// <summary>Switches this module and its children to training mode (or out of it), as PyTorch's <c>train()</c>.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in children) child.Train(training);
        return this;
    }

    /// <summary>Switches to evaluation mode: Dropout passes everything through, BatchNorm uses its running statistics.</summary>
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

    /// <summary>
    /// Registers <paramref name="value"/> as a buffer under <paramref name="name"/>, as PyTorch's <c>register_buffer</c>:
    /// state that is not trained (it never requires grad) and that the module updates itself. A persistent buffer is part
    /// of <see cref="StateDict"/> and is loaded by <see cref="LoadStateDict"/>; any buffer is in <see cref="NamedBuffers"/>.
    /// </summary>
    protected Tensor RegisterBuffer(string name, Tensor value, bool persistent = true)
    {
        RequireNewName(name);
        if (value.RequiresGrad) throw new ArgumentException($"module: buffer '{name}' requires grad; a trained tensor is a parameter (RegisterParameter)");
        buffers.Add(new(name, value));
        if (!persistent) transientBuffers.Add(name);
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
        if (parameters.Exists(p => p.Key == name) || buffers.Exists(b => b.Key == name) || children.Exists(c => c.Key == name))
        {
            throw new ArgumentException($"module: the name '{name}' is already registered");
        }
    }
}
