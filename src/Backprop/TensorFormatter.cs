using System.Globalization;
using System.Text;
using Backprop.Autograd;

namespace Backprop;

/// <summary>
/// Prints tensors as PyTorch does (<c>torch._tensor_str</c>): 4 decimals, scientific notation when magnitudes span more
/// than 1000× or leave [1e-4, 1e8], integers as <c>1.</c>, rows wrapped at 80 columns, and beyond 1000 elements only the
/// first and last 3 along each axis; int64 values in full (<c>tensor([1, 2])</c>). Adds the shape, which PyTorch leaves to
/// <c>.shape</c>.
/// </summary>
internal static class TensorFormatter
{
    private const int Precision = 4;
    private const int SummarizeAbove = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;
    private const string Prefix = "tensor(";

    public static string Format(Tensor t)
    {
        bool summarize = t.Count > SummarizeAbove;
        var shown = summarize ? EdgeOffsets(t.Shape) : Enumerable.Range(0, t.Count).ToList();
        Func<int, string> element;
        int width;
        if (t.IsFloatingPoint)
        {
            var values = t.ToDoubleArray();
            var style = NumberStyle.For(shown.Select(i => values[i]).ToList());
            (element, width) = (i => style.Format(values[i]), style.Width);
        }
        else
        {
            // As PyTorch prints integers: in full, right-aligned to the widest shown, zeros included.
            var values = t.ToInt64Array();
            width = shown.Select(i => Integer(values[i]).Length).DefaultIfEmpty(1).Max();
            element = i => Integer(values[i]).PadLeft(width);
        }
        var text = new StringBuilder(Prefix);
        if (t.Rank == 0) text.Append(element(0).TrimStart());
        else AppendAxis(text, element, width, t.Shape.ToArray(), 0, 0, Prefix.Length, summarize);
        if (t.Rank > 0) text.Append(", shape=").Append(t.Shape);
        if (t.DType == DType.Float64) text.Append(", dtype=float64"); // float32 and int64 are PyTorch's defaults, which it does not name
        if (t.GradFn is Node node) text.Append(", grad_fn=<").Append(node.Name).Append('>');
        else if (t.RequiresGrad) text.Append(", requires_grad=True");
        return text.Append(')').ToString();
    }

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the sub-array starting at <paramref name="offset"/> spanning axes from <paramref name="axis"/> on.</summary>
    private static void AppendAxis(StringBuilder text, Func<int, string> element, int width, int[] dims, int axis, int offset, int indent, bool summarize)
    {
        int size = dims[axis];
        int stride = 1;
        for (int i = axis + 1; i < dims.Length; i++) stride *= dims[i];
        var shown = ShownIndices(size, summarize);

        if (axis == dims.Length - 1)
        {
            var items = shown.Select(i => i < 0 ? " ..." : element(offset + i)).ToList();
            int perLine = Math.Max(1, (LineWidth - indent) / (width + 2));
            var lines = items.Chunk(perLine).Select(line => string.Join(", ", line));
            text.Append('[').Append(string.Join(",\n" + new string(' ', indent + 1), lines)).Append(']');
            return;
        }

        string separator = "," + new string('\n', dims.Length - axis - 1) + new string(' ', indent + 1);
        text.Append('[');
        bool first = true;
        foreach (int i in shown)
        {
            if (!first) text.Append(separator);
            first = false;
            if (i < 0) text.Append("...");
            else AppendAxis(text, element, width, dims, axis + 1, offset + i * stride, indent + 1, summarize);
        }
        text.Append(']');
    }

    /// <summary>The indices printed along an axis; −1 stands for the ellipsis.</summary>
    private static IEnumerable<int> ShownIndices(int size, bool summarize)
    {
        if (!summarize || size <= 2 * EdgeItems) return Enumerable.Range(0, size);
        return [.. Enumerable.Range(0, EdgeItems), -1, .. Enumerable.Range(size - EdgeItems, EdgeItems)];
    }

    /// <summary>The offsets of the values a summarised print shows, so the number style fits only those (as PyTorch does).</summary>
    private static List<int> EdgeOffsets(Shape shape)
    {
        var shown = new List<int>();
        var dims = shape.ToArray();
        void Walk(int axis, int offset)
        {
            if (axis == dims.Length) { shown.Add(offset); return; }
            int stride = 1;
            for (int i = axis + 1; i < dims.Length; i++) stride *= dims[i];
            foreach (int i in ShownIndices(dims[axis], summarize: true))
            {
                if (i >= 0) Walk(axis + 1, offset + i * stride);
            }
        }
        Walk(0, 0);
        return shown;
    }

    /// <summary>How every number of one tensor is written, chosen from all of them so that columns line up.</summary>
    private sealed class NumberStyle
    {
        private bool integers = true;
        private bool scientific;

        public int Width { get; private set; } = 1;

        public static NumberStyle For(IReadOnlyCollection<double> values)
        {
            var style = new NumberStyle();
            var finite = values.Where(v => double.IsFinite(v) && v != 0).ToList();
            if (finite.Count > 0)
            {
                double min = finite.Min(Math.Abs), max = finite.Max(Math.Abs);
                style.integers = finite.All(v => v == Math.Ceiling(v));
                style.scientific = max / min > 1000 || max > 1e8 || (!style.integers && min < 1e-4);
            }
            style.Width = finite.Select(v => style.Write(v).Length).DefaultIfEmpty(1).Max(); // as PyTorch: zeros and non-finite values do not widen columns
            return style;
        }

        /// <summary>The number right-aligned to the common width.</summary>
        public string Format(double value) => Write(value).PadLeft(Width);

        private string Write(double value)
        {
            if (double.IsNaN(value)) return "nan";
            if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
            if (scientific) return value.ToString("0." + new string('0', Precision) + "e+00", CultureInfo.InvariantCulture);
            if (integers) return value.ToString("F0", CultureInfo.InvariantCulture) + ".";
            return value.ToString("F" + Precision, CultureInfo.InvariantCulture);
        }
    }
}
