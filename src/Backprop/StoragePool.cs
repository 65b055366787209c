namespace Backprop;

/// <summary>
/// Arrays that tensors of an ended <see cref="TensorScope"/> gave back, by element type and exact length, for the next
/// tensors of that size: a training step asks for the same sizes every time, so after the first step it allocates none.
/// Holds at most <see cref="Limit"/> bytes; beyond that, returned arrays are left to the garbage collector.
/// </summary>
internal static class StoragePool
{
    public const long Limit = 1L << 30;

    private static readonly Dictionary<(DType, int), Stack<Array>> Free = [];
    private static readonly Lock Gate = new();
    private static long pooledBytes;

    /// <summary>An array of exactly <paramref name="length"/> elements, holding whatever its last user left.</summary>
    public static Array Rent(DType dtype, int length)
    {
        lock (Gate)
        {
            if (Free.TryGetValue((dtype, length), out var stack) && stack.TryPop(out var array))
            {
                pooledBytes -= Bytes(array);
                return array;
            }
        }
        return Tensor.NewStorage(dtype, length);
    }

    public static void Return(Array array)
    {
        var key = (array switch { float[] => DType.Float32, double[] => DType.Float64, _ => DType.Int64 }, array.Length);
        lock (Gate)
        {
            if (pooledBytes + Bytes(array) > Limit) return;
            if (!Free.TryGetValue(key, out var stack)) Free[key] = stack = new Stack<Array>();
            stack.Push(array);
            pooledBytes += Bytes(array);
        }
    }

    private static long Bytes(Array array) => (long)array.Length * (array is float[] ? sizeof(float) : sizeof(double)); // double and long: 8
}
