namespace Backprop.NN;

/// <summary>
/// nanoGPT's <c>MLP</c>: <c>c_fc</c> widens [B, T, C] to 4·C, exact GELU, <c>c_proj</c> back to C, then dropout (when
/// training).
/// </summary>
public sealed class GPTMlp : Module
{
    private readonly Dropout dropout;

    /// <summary>The MLP of a block of <paramref name="nEmbd"/> channels.</summary>
    public GPTMlp(int nEmbd, double dropout = 0.0, bool bias = true, DType dtype = DType.Float32, Generator? generator = null)
    {
        CFc = RegisterModule("c_fc", new Linear(nEmbd, 4 * nEmbd, bias, dtype, generator));
        Gelu = RegisterModule("gelu", new GELU());
        CProj = RegisterModule("c_proj", new Linear(4 * nEmbd, nEmbd, bias, dtype, generator));
        this.dropout = RegisterModule("dropout", new Dropout(dropout, generator));
    }

    /// <summary>The widening projection [4·C, C].</summary>
    public Linear CFc { get; }

    /// <summary>The exact GELU between the projections (internal: ONNX export reads it).</summary>
    internal GELU Gelu { get; }

    /// <summary>The narrowing projection [C, 4·C].</summary>
    public Linear CProj { get; }

    /// <summary>[..., C] to [..., C].</summary>
    public override Tensor Forward(Tensor input) => dropout.Forward(CProj.Forward(Gelu.Forward(CFc.Forward(input))));
}
