namespace Backprop.Autograd;

/// <summary>
/// PyTorch's anomaly mode: while it is on (on this thread), every op's forward result and every gradient its backward
/// rule returns are checked for NaN and ±infinity, and the first one found stops the run with an
/// <see cref="AnomalyException"/> naming the op and where in the model it was created (the layer, the loss).
/// Off by default; when off it costs one flag test per op. Turn it on with <see cref="DetectAnomaly"/>.
/// </summary>
public static class AnomalyMode
{
    [ThreadStatic] private static bool enabled;
    [ThreadStatic] private static List<(object Owner, int Index)>? places;
    [ThreadStatic] private static bool inBackwardRule;

    /// <summary>Whether ops on this thread are being checked.</summary>
    public static bool IsEnabled
    {
        get => enabled;
        internal set => enabled = value;
    }

    /// <summary>
    /// Marks what runs until the returned value is disposed as part of <paramref name="owner"/> (a module, or a loss), at
    /// <paramref name="index"/> in its container (or −1). Does nothing while anomaly mode is off.
    /// </summary>
    public static Place Enter(object owner, int index = -1)
    {
        if (!enabled) return default;
        (places ??= []).Add((owner, index));
        return new Place(places.Count);
    }

    /// <summary>A place in the model entered with <see cref="Enter"/>; disposing it leaves.</summary>
    public readonly struct Place : IDisposable
    {
        private readonly int depth;

        internal Place(int depth) => this.depth = depth;

        /// <summary>Leaves the place.</summary>
        public void Dispose()
        {
            if (depth > 0 && places is { } stack && stack.Count >= depth) stack.RemoveRange(depth - 1, stack.Count - depth + 1);
        }
    }

    /// <summary>Where ops are being created now, such as "layer 2 (Linear)" or "CrossEntropyLoss", or null outside any module.</summary>
    internal static string? CurrentPlace()
    {
        if (places is not { Count: > 0 }) return null;
        return string.Join(" > ", places.Select(p => p.Index >= 0 ? $"layer {p.Index} ({p.Owner.GetType().Name})" : p.Owner.GetType().Name));
    }

    /// <summary>
    /// Runs a node's backward rule and throws when a gradient it returns holds a NaN or an infinity. The rule's own ops
    /// are not checked as forward ops: what they make is judged as the gradients they add up to.
    /// </summary>
    internal static Tensor?[] ApplyCheckedBackwardRule(Node node, Tensor outputGradient)
    {
        Tensor?[] gradients;
        inBackwardRule = true;
        try
        {
            gradients = node.Apply(outputGradient);
        }
        finally
        {
            inBackwardRule = false;
        }
        CheckBackward(node, gradients);
        return gradients;
    }

    /// <summary>Throws when the forward result of <paramref name="op"/> holds a NaN or an infinity.</summary>
    internal static void CheckForward(string op, Tensor result, ReadOnlySpan<Tensor> inputs)
    {
        if (inBackwardRule || FirstNonFinite(result) is not { } bad) return;
        string where = CurrentPlace() is { } place ? $" in {place}" : "";
        for (int k = 0; k < inputs.Length; k++)
        {
            if (inputs[k].IsLeaf && FirstNonFinite(inputs[k]) is { } input)
            {
                throw new AnomalyException($"{op}{where} received {Describe(input)} in its input {k}, a leaf (data or a parameter), and produced {Describe(bad)} in forward");
            }
        }
        throw new AnomalyException($"{op}{where} produced {Describe(bad)} in forward");
    }

    /// <summary>Throws when a gradient returned by <paramref name="node"/>'s backward rule holds a NaN or an infinity.</summary>
    private static void CheckBackward(Node node, Tensor?[] gradients)
    {
        for (int k = 0; k < gradients.Length; k++)
        {
            if (gradients[k] is { } gradient && FirstNonFinite(gradient) is { } bad)
            {
                string where = node.CreatedIn is { } place ? $" (created in {place})" : "";
                throw new AnomalyException($"{node.Name}{where} produced {Describe(bad)} in backward, in the gradient of its input {k}");
            }
        }
    }

    private static double? FirstNonFinite(Tensor tensor)
    {
        if (tensor.IsReleased) return null;
        if (tensor.DType == DType.Float32)
        {
            foreach (float value in tensor.Span<float>()) if (!float.IsFinite(value)) return value;
        }
        else if (tensor.DType == DType.Float64)
        {
            foreach (double value in tensor.Span<double>()) if (!double.IsFinite(value)) return value;
        }
        return null;
    }

    /// <summary>"nan", "inf" or "-inf".</summary>
    internal static string Describe(double value) => double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
}
