namespace Backprop.Autograd;

/// <summary>The outcome of a gradient check: whether it passed, the worst disagreement, and a sentence saying where.</summary>
public sealed record GradCheckResult(bool Passed, double MaxAbsoluteError, string Message);

/// <summary>
/// Checks autograd against the article's definition of the derivative, f′(x) ≈ Δy/Δx, taken as the central difference
/// (f(x + ε) − f(x − ε)) / 2ε in float64, for every input element and every output element, with PyTorch gradcheck's
/// tolerances: |autograd − numerical| ≤ atol + rtol·|numerical|.
/// </summary>
public static class GradCheck
{
    /// <summary>Compares the full Jacobian of <paramref name="function"/> at <paramref name="inputs"/> (float64 leaves) both ways.</summary>
    public static GradCheckResult Check(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].DType != DType.Float64) throw new ArgumentException($"gradcheck: input {i} is {inputs[i].DType}; gradient checks need Float64");
            if (!inputs[i].IsLeaf) throw new ArgumentException($"gradcheck: input {i} was made by '{inputs[i].GradFn!.Name}'; pass leaf tensors");
        }
        var savedGrads = inputs.Select(t => t.Grad).ToArray();
        try
        {
            var numerical = NumericalJacobian(function, inputs, eps);
            var analytical = AnalyticalJacobian(function, inputs);
            return Compare(inputs, numerical, analytical, atol, rtol);
        }
        finally
        {
            for (int i = 0; i < inputs.Length; i++) inputs[i].Grad = savedGrads[i];
        }
    }

    /// <summary>jacobian[input][element, output] by central differences, nudging one input element at a time.</summary>
    private static double[][,] NumericalJacobian(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps)
    {
        using var _ = new NoGrad();
        int outputs = Evaluate(function, inputs).Length;
        var jacobian = new double[inputs.Length][,];
        for (int i = 0; i < inputs.Length; i++)
        {
            var values = inputs[i].Span<double>();
            jacobian[i] = new double[values.Length, outputs];
            if (!inputs[i].RequiresGrad) continue;
            for (int e = 0; e < values.Length; e++)
            {
                double original = values[e];
                values[e] = original + eps;
                var above = Evaluate(function, inputs);
                values[e] = original - eps;
                var below = Evaluate(function, inputs);
                values[e] = original;
                for (int o = 0; o < outputs; o++) jacobian[i][e, o] = (above[o] - below[o]) / (2 * eps);
            }
        }
        return jacobian;
    }

    /// <summary>jacobian[input][element, output] from backward passes, one per output element with a one-hot gradient.</summary>
    private static double[][,] AnalyticalJacobian(Func<Tensor[], Tensor> function, Tensor[] inputs)
    {
        var probe = function(inputs);
        var jacobian = inputs.Select(t => new double[t.Count, probe.Count]).ToArray();
        if (!probe.RequiresGrad) return jacobian; // the output does not depend on any input: all derivatives are 0
        for (int o = 0; o < probe.Count; o++)
        {
            foreach (var input in inputs) input.Grad = null;
            var output = function(inputs);
            var oneHot = Tensor.Zeros(output.Shape, output.DType);
            oneHot.Span<double>()[o] = 1;
            output.Backward(oneHot);
            for (int i = 0; i < inputs.Length; i++)
            {
                if (inputs[i].Grad is not { } grad) continue;
                if (grad.Shape != inputs[i].Shape) throw new InvalidOperationException($"gradcheck: gradient of input {i} has shape {grad.Shape}, expected {inputs[i].Shape}");
                var values = grad.ToDoubleArray();
                for (int e = 0; e < values.Length; e++) jacobian[i][e, o] = values[e];
            }
        }
        return jacobian;
    }

    private static GradCheckResult Compare(Tensor[] inputs, double[][,] numerical, double[][,] analytical, double atol, double rtol)
    {
        double worst = 0;
        string? failure = null;
        for (int i = 0; i < inputs.Length; i++)
        {
            for (int e = 0; e < numerical[i].GetLength(0); e++)
            {
                for (int o = 0; o < numerical[i].GetLength(1); o++)
                {
                    double n = numerical[i][e, o], a = analytical[i][e, o];
                    double error = Math.Abs(a - n);
                    worst = double.IsNaN(error) ? double.NaN : Math.Max(worst, error);
                    if (failure is null && !(error <= atol + rtol * Math.Abs(n)))
                    {
                        failure = $"gradcheck: d output[{o}] / d input {i}[{e}]: autograd gives {a:G8}, central differences give {n:G8}";
                    }
                }
            }
        }
        return new GradCheckResult(failure is null, worst, failure ?? $"gradcheck: passed, largest difference {worst:G3}");
    }

    private static double[] Evaluate(Func<Tensor[], Tensor> function, Tensor[] inputs)
    {
        var output = function(inputs);
        if (output.DType != DType.Float64) throw new ArgumentException($"gradcheck: the function returned {output.DType}; it must compute in Float64");
        return output.ToDoubleArray();
    }
}
