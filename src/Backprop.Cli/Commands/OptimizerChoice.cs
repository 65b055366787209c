using Backprop.Optim;

namespace Backprop.Cli;

/// <summary>
/// An optimizer that --optimizer names, with PyTorch's defaults for the options it takes. Defaults follow the optimizer, as
/// in torch.optim: <c>--optimizer rmsprop</c> is <c>torch.optim.RMSprop</c> with its momentum of 0, <c>adamw</c> has
/// AdamW's weight decay of 0.01, and <c>--momentum</c> given to an optimizer without momentum is an error, not ignored.
/// </summary>
/// <param name="Name">The name --optimizer takes.</param>
/// <param name="LearningRate">The default --lr.</param>
/// <param name="Momentum">The default --momentum, or null for an optimizer that takes none.</param>
/// <param name="WeightDecay">The default --weight-decay.</param>
/// <param name="Build">Creates the optimizer over the given parameters with the given settings.</param>
internal sealed record OptimizerChoice(string Name, double LearningRate, double? Momentum, double WeightDecay, Func<IEnumerable<Tensor>, OptimizerSettings, Optimizer> Build)
{
    /// <summary>PyTorch 1.x's SGD has no default learning rate; 0.1 is the usual one for MNIST-sized networks.</summary>
    private const double SgdLearningRate = 0.1;

    /// <summary>What "momentum" and "nesterov" mean here (torch.optim.SGD's own default momentum is 0, plain SGD).</summary>
    private const double SgdMomentum = 0.9;

    public static IReadOnlyList<OptimizerChoice> All { get; } =
    [
        new("sgd", SgdLearningRate, null, 0, (p, s) => new Sgd(p, s.LearningRate, weightDecay: s.WeightDecay) { DecayMatricesOnly = s.DecayMatricesOnly }),
        new("momentum", SgdLearningRate, SgdMomentum, 0, (p, s) => new Sgd(p, s.LearningRate, s.Momentum, weightDecay: s.WeightDecay) { DecayMatricesOnly = s.DecayMatricesOnly }),
        new("nesterov", SgdLearningRate, SgdMomentum, 0, (p, s) => new Sgd(p, s.LearningRate, s.Momentum, nesterov: true, weightDecay: s.WeightDecay) { DecayMatricesOnly = s.DecayMatricesOnly }),
        new("adam", Adam.DefaultLearningRate, null, 0, (p, s) => new Adam(p, s.LearningRate, s.Betas.Beta1, s.Betas.Beta2, weightDecay: s.WeightDecay) { DecayMatricesOnly = s.DecayMatricesOnly }),
        new("adamw", Adam.DefaultLearningRate, null, AdamW.DefaultWeightDecay, (p, s) => new AdamW(p, s.LearningRate, s.Betas.Beta1, s.Betas.Beta2, weightDecay: s.WeightDecay) { DecayMatricesOnly = s.DecayMatricesOnly }),
        new("rmsprop", RMSprop.DefaultLearningRate, 0, 0, (p, s) => new RMSprop(p, s.LearningRate, weightDecay: s.WeightDecay, momentum: s.Momentum) { DecayMatricesOnly = s.DecayMatricesOnly }),
    ];

    /// <summary>Adam's default betas (torch.optim.Adam's), which --betas replaces for adam and adamw.</summary>
    private static readonly (double Beta1, double Beta2) AdamBetas = (0.9, 0.999);

    /// <summary>Whether the optimizer takes --betas (Adam and AdamW).</summary>
    private bool TakesBetas => Name is "adam" or "adamw";

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(c => c.Name)];

    /// <summary>The choice called <paramref name="name"/> (one of <see cref="Names"/>: the option's parser checked it).</summary>
    public static OptimizerChoice Named(string name) => All.Single(c => c.Name == name);

    /// <summary>
    /// The given options, with this optimizer's defaults for those not given; <paramref name="decayMatricesOnly"/> decays only
    /// parameters of two or more dimensions (nanoGPT's rule; PyTorch's default decays all).
    /// </summary>
    public OptimizerSettings Settings(double? learningRate, double? momentum, double? weightDecay, (double, double)? betas = null, bool decayMatricesOnly = false)
    {
        if (momentum is not null && Momentum is null)
        {
            throw new ArgumentException($"--momentum does not apply to --optimizer {Name} (only to {string.Join(", ", All.Where(c => c.Momentum is not null).Select(c => c.Name))})");
        }
        if (betas is not null && !TakesBetas) throw new ArgumentException($"--betas does not apply to --optimizer {Name} (only to adam, adamw)");
        return new OptimizerSettings(learningRate ?? LearningRate, momentum ?? Momentum ?? 0, weightDecay ?? WeightDecay, betas ?? AdamBetas, decayMatricesOnly);
    }

    /// <summary>Each optimizer's default of one option, for the option's help: "sgd 0.1, momentum 0.1, …".</summary>
    public static string Defaults(Func<OptimizerChoice, double?> option) =>
        string.Join(", ", All.Where(c => option(c) is not null).Select(c => $"{c.Name} {Number.Format(option(c)!.Value)}"));
}
