namespace Backprop.Losses;

/// <summary>
/// A cost function as an object, as PyTorch's loss modules: <c>loss.Forward(prediction, target)</c>, mean-reduced. Each
/// loss carries its name (as model files and the command line write it) and what a model's outputs mean under it, so that
/// a loss is one class: <see cref="Parse"/> finds it by name, and the trainer's default task follows from it.
/// </summary>
public abstract class LossModule
{
    // The losses a model file or the command line can name, one row each.
    private static readonly Func<LossModule>[] Catalog = [() => new CrossEntropyLoss(), () => new MSELoss(), () => new BCEWithLogitsLoss()];

    /// <summary>The loss of <paramref name="prediction"/> against <paramref name="target"/>, a scalar.</summary>
    public abstract Tensor Forward(Tensor prediction, Tensor target);

    /// <summary>The name model files and the command line give the loss (cross-entropy, mse, bce); a loss of your own's is its class name.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>
    /// How a model with <paramref name="outputs"/> outputs per example trained with this loss is read as a classifier, or
    /// null when its outputs are values to be near the targets (regression, the default for a loss of your own).
    /// </summary>
    public virtual ClassOutputs? ClassOutputs(int outputs) => null;

    /// <summary>Whether the targets are class indices [B] rather than values shaped as the prediction.</summary>
    public virtual bool TakesClassIndices => false;

    /// <summary>The names <see cref="Parse"/> knows, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Catalog.Select(create => create().Name)];

    /// <summary>A new loss module of the loss called <paramref name="name"/> (any case), or an error listing the names.</summary>
    public static LossModule Parse(string name) =>
        Catalog.Select(create => create()).FirstOrDefault(loss => loss.Name == name.ToLowerInvariant())
        ?? throw new ArgumentException($"loss: unknown '{name}' (expected one of {string.Join(", ", Names)})");

    /// <summary>Two losses are equal when they are the same loss with the same settings: the same class, for these without settings.</summary>
    public override bool Equals(object? obj) => obj is LossModule other && other.GetType() == GetType();

    /// <inheritdoc/>
    public override int GetHashCode() => GetType().GetHashCode();

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
