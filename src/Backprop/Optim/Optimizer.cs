using Backprop.Autograd;

namespace Backprop.Optim;

/// <summary>
/// Updates parameters from their gradients, as PyTorch's optimizers: <see cref="ZeroGrad"/>, backward, <see cref="Step"/>.
/// Parameters without a gradient are skipped, and so is their state.
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] parameters;
    private readonly List<(string Name, Tensor?[] Values)> states = [];
    private readonly List<(string Name, int[] Values)> counters = [];

    /// <summary>Checks the learning rate and weight decay shared by every optimizer.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate, double weightDecay)
    {
        string name = GetType().Name.ToLowerInvariant();
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentException($"{name}: learning rate must be a positive number, got {learningRate}");
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay)) throw new ArgumentException($"{name}: weight decay must be zero or positive, got {weightDecay}");
        this.parameters = [.. parameters];
        LearningRate = InitialLearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>The learning rate for the next step (a schedule may change it).</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate the optimizer was created with; schedules scale from it.</summary>
    public double InitialLearningRate { get; }

    /// <summary>The L2 penalty coefficient (decoupled from the gradient in AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>
    /// Whether weight decay spares parameters of fewer than two dimensions (biases, normalisation gains): nanoGPT's rule,
    /// PyTorch's optimizer given a group with <c>weight_decay</c> for the matrices and one with 0 for the rest. False by
    /// default: every parameter is decayed, as PyTorch's single group.
    /// </summary>
    public bool DecayMatricesOnly { get; init; }

    /// <summary>
    /// The hyperparameters it was created with, by PyTorch's names (its <c>optimizer.defaults</c>): <c>lr</c> (the initial
    /// learning rate), <c>weight_decay</c> and the optimizer's own (momentum, betas…), each a double or a bool. A checkpoint
    /// records them, so that a run is resumed with the optimizer it was written by. <see cref="DecayMatricesOnly"/>, which
    /// PyTorch expresses with parameter groups instead, appears as <c>decay_matrices_only</c> only when set, so that the
    /// configurations recorded without it stay the same.
    /// </summary>
    public virtual IReadOnlyDictionary<string, object> Defaults
    {
        get
        {
            var defaults = new Dictionary<string, object> { ["lr"] = InitialLearningRate, ["weight_decay"] = WeightDecay };
            if (DecayMatricesOnly) defaults["decay_matrices_only"] = true;
            return defaults;
        }
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = new NoGrad();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Grad is { } grad) Update(i, parameters[i], grad);
        }
    }

    /// <summary>
    /// Clears the parameters' gradients before the next backward pass (gradients accumulate otherwise): to null by default,
    /// as PyTorch; to zeros with <paramref name="setToNone"/> false, so backward reuses the buffers.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in parameters) p.ZeroGrad(setToNone);
    }

    /// <summary>Updates parameter number <paramref name="index"/> in place (grad mode is off).</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    /// <summary>
    /// The optimizer's state as named tensors, as PyTorch's <c>optimizer.state_dict()</c> flattened: <c>{index}.{name}</c>
    /// for each parameter's state tensor (momentum buffers, Adam's moments…) that exists, each per-parameter counter
    /// (Adam's steps) as one float64 tensor, and the current learning rate as <c>lr</c>. The tensors are the live state.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor> { ["lr"] = Tensor.Scalar(LearningRate, DType.Float64) };
        foreach (var (name, values) in states)
        {
            for (int i = 0; i < values.Length; i++) if (values[i] is { } value) result[$"{i}.{name}"] = value;
        }
        foreach (var (name, values) in counters) result[name] = Tensor.FromArray(Array.ConvertAll(values, v => (double)v));
        return result;
    }

    /// <summary>Restores a state from <see cref="StateDict"/> of an optimizer of the same kind over parameters of the same shapes.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        string kind = GetType().Name.ToLowerInvariant();
        var known = new HashSet<string> { "lr" };
        foreach (var (name, values) in states)
        {
            for (int i = 0; i < values.Length; i++)
            {
                string key = $"{i}.{name}";
                known.Add(key);
                if (!state.TryGetValue(key, out var saved)) { values[i] = null; continue; }
                if (saved.Shape != parameters[i].Shape) throw new ArgumentException($"{kind}: state '{key}' has shape {saved.Shape}, the parameter has {parameters[i].Shape}");
                using (TensorScope.Suspend()) values[i] = saved.To(parameters[i].DType).Clone();
            }
        }
        foreach (var (name, values) in counters)
        {
            known.Add(name);
            if (!state.TryGetValue(name, out var saved) || saved.Count != values.Length) throw new ArgumentException($"{kind}: state '{name}' is missing or does not have one value per parameter");
            var saved64 = saved.ToDoubleArray();
            for (int i = 0; i < values.Length; i++) values[i] = (int)saved64[i];
        }
        if (state.Keys.FirstOrDefault(key => !known.Contains(key)) is { } unknown) throw new ArgumentException($"{kind}: state '{unknown}' is not state of this optimizer");
        if (state.TryGetValue("lr", out var lr)) LearningRate = lr.Item();
    }

    /// <summary>Registers a state tensor per parameter, made on first use, under <paramref name="name"/> in <see cref="StateDict"/>.</summary>
    protected Tensor?[] PerParameterState(string name)
    {
        var values = new Tensor?[parameters.Length];
        states.Add((name, values));
        return values;
    }

    /// <summary>Registers a counter per parameter, under <paramref name="name"/> in <see cref="StateDict"/>.</summary>
    protected int[] PerParameterCounter(string name)
    {
        var values = new int[parameters.Length];
        counters.Add((name, values));
        return values;
    }

    /// <summary>
    /// Optimizer state shaped like <paramref name="parameter"/>, starting at zero, made outside any <see cref="TensorScope"/>
    /// because it lives as long as the optimizer; update it in place.
    /// </summary>
    protected static Tensor NewState(Tensor parameter)
    {
        using (TensorScope.Suspend()) return Tensor.Zeros(parameter.Shape, parameter.DType);
    }

    /// <summary>The weight decay that applies to <paramref name="parameter"/>: 0 for a vector or scalar under <see cref="DecayMatricesOnly"/>.</summary>
    protected double WeightDecayOf(Tensor parameter) => DecayMatricesOnly && parameter.Rank < 2 ? 0 : WeightDecay;

    /// <summary>The gradient with the L2 penalty added: g + weight_decay·p (PyTorch's coupled weight decay).</summary>
    protected Tensor WithWeightDecay(Tensor parameter, Tensor gradient) =>
        WeightDecayOf(parameter) is var decay && decay == 0 ? gradient : gradient + parameter * decay;
}
