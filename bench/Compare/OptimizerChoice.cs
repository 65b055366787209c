namespace Compare;

/// <summary>
/// The optimizer a workload trains with, built by each side from its own library: SGD (with optional momentum, PyTorch's
/// form: b ← μb + g, w ← w − r·b) or Adam (β₁ 0.9, β₂ 0.999, ε 1e-8, PyTorch's defaults, passed explicitly to both sides).
/// </summary>
internal sealed record OptimizerChoice(string Kind, double LearningRate, double Momentum = 0)
{
    public const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    public static OptimizerChoice Sgd(double lr, double momentum = 0) => new("sgd", lr, momentum);

    public static OptimizerChoice Adam(double lr) => new("adam", lr);

    public override string ToString() => Kind == "adam" ? $"Adam lr {LearningRate}" : Momentum == 0 ? $"SGD lr {LearningRate}" : $"SGD lr {LearningRate} momentum {Momentum}";
}
