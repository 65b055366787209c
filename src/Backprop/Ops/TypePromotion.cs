namespace Backprop;

/// <summary>PyTorch's type promotion: the dtype that operands of mixed dtypes compute in.</summary>
internal static class TypePromotion
{
    /// <summary>
    /// Brings two operands to a common dtype as PyTorch does: float32 with float64 computes in float64 (recorded, so
    /// gradients convert back), int64 with either float takes the float's dtype.
    /// </summary>
    public static (Tensor A, Tensor B) Promote(Tensor a, Tensor b)
    {
        if (a.DType == b.DType) return (a, b);
        var common = CommonDType([a, b]);
        return (a.To(common), b.To(common));
    }

    /// <summary>The dtype that operands of these dtypes compute in: float64 over float32 over int64 (PyTorch's promotion).</summary>
    public static DType CommonDType(IEnumerable<Tensor> tensors)
    {
        var dtypes = tensors.Select(t => t.DType).ToList();
        return dtypes.Contains(DType.Float64) ? DType.Float64 : dtypes.Contains(DType.Float32) ? DType.Float32 : DType.Int64;
    }
}
