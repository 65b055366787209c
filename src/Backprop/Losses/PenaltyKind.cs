namespace Backprop.Losses;

/// <summary>Which weight penalty (regularisation) a <see cref="Penalty"/> adds to the cost.</summary>
public enum PenaltyKind
{
    /// <summary>λ·Σ|w|: its derivative λ·sign(w) pulls every weight towards 0 by the same amount, making many exactly 0.</summary>
    L1,

    /// <summary>λ·½·Σw²: its derivative λ·w pulls each weight towards 0 in proportion to its size.</summary>
    L2,
}
