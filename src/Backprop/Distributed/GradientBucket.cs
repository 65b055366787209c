using System.Numerics.Tensors;

namespace Backprop.Distributed;

/// <summary>
/// Parameters whose gradients one all-reduce averages, as a DDP bucket: each gradient is copied into one flat buffer as
/// soon as backward has finished with it, the all-reduce of the buffer can start once all are in, and the averages are
/// copied back into the gradients. Copying (rather than DDP's gradients as views of the bucket) leaves the autograd
/// engine's gradient buffers as they are, at the cost of two copies of each gradient per step.
/// </summary>
internal sealed class GradientBucket
{
    private readonly Tensor[] parameters;
    private readonly int[] offsets;
    private readonly bool[] filled;
    private readonly float[] buffer;
    private int pending;
    private CollectiveRequest? request;

    public GradientBucket(IReadOnlyList<Tensor> parameters)
    {
        this.parameters = [.. parameters];
        offsets = new int[parameters.Count];
        filled = new bool[parameters.Count];
        int size = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            offsets[i] = size;
            size += parameters[i].Count;
        }
        buffer = new float[size];
        pending = parameters.Count;
    }

    /// <summary>The parameters, in the order backward is expected to finish them (the reverse of the model's).</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>True once every parameter's gradient is in the buffer.</summary>
    public bool IsFilled => pending == 0;

    /// <summary>Copies the gradient of parameter number <paramref name="slot"/> into the buffer (zeros when it has none).</summary>
    public void Fill(int slot)
    {
        if (filled[slot] || request is not null)
        {
            throw new InvalidOperationException("distributed data parallel: a second backward pass reached the parameters before their gradients were reduced; call ReduceGradients after each backward pass");
        }
        var target = buffer.AsSpan(offsets[slot], parameters[slot].Count);
        if (parameters[slot].Grad is { } grad) grad.Span<float>().CopyTo(target);
        else target.Clear();
        filled[slot] = true;
        pending--;
    }

    /// <summary>Fills the parameters backward did not reach (a layer unused this step), with their gradients or zeros.</summary>
    public void FillRest()
    {
        for (int slot = 0; slot < parameters.Length; slot++) if (!filled[slot]) Fill(slot);
    }

    /// <summary>Starts summing the buffer over the ranks.</summary>
    public void Start(ProcessGroup group) => request = group.StartAllReduce<float>(buffer);

    /// <summary>Lets MPI advance the started all-reduce.</summary>
    public void Progress() => request?.Test();

    /// <summary>Waits for the sum, writes sum / <paramref name="worldSize"/> into every gradient, and readies the bucket for the next step.</summary>
    public void Finish(int worldSize)
    {
        request!.Wait();
        request = null;
        TensorPrimitives.Divide(buffer, worldSize, buffer);
        for (int slot = 0; slot < parameters.Length; slot++)
        {
            var parameter = parameters[slot];
            var average = buffer.AsSpan(offsets[slot], parameter.Count);
            if (parameter.Grad is { } grad) average.CopyTo(grad.Span<float>());
            else using (TensorScope.Suspend()) parameter.Grad = Tensor.FromArray(average.ToArray(), parameter.Shape); // outlives the step, like any gradient
        }
        Array.Clear(filled);
        pending = parameters.Length;
    }
}
