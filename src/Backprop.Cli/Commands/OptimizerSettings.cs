namespace Backprop.Cli;

/// <summary>The hyperparameters train hands its optimizer: the user's options, or the optimizer's defaults where none was given.</summary>
internal readonly record struct OptimizerSettings(double LearningRate, double Momentum, double WeightDecay, (double Beta1, double Beta2) Betas, bool DecayMatricesOnly);
