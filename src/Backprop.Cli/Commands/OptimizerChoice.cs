using Backprop.Optim;

namespace Backprop.Cli;

/// <summary>The optimizers --optimizer names: sgd, momentum, nesterov, adam, adamw, rmsprop.</summary>
internal static class OptimizerChoice
{
    public static readonly string[] Names = ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop"];

    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double learningRate, double momentum, double weightDecay) => name switch
    {
        "sgd" => new Sgd(parameters, learningRate, weightDecay: weightDecay),
        "momentum" => new Sgd(parameters, learningRate, momentum, weightDecay: weightDecay),
        "nesterov" => new Sgd(parameters, learningRate, momentum, nesterov: true, weightDecay: weightDecay),
        "adam" => new Adam(parameters, learningRate, weightDecay: weightDecay),
        "adamw" => new AdamW(parameters, learningRate, weightDecay: weightDecay),
        "rmsprop" => new RMSprop(parameters, learningRate, weightDecay: weightDecay, momentum: momentum),
        _ => throw new ArgumentException($"--optimizer: unknown '{name}' (expected one of {string.Join(", ", Names)})"),
    };
}
