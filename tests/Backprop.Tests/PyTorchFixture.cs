using System.Text.Json;
using Backprop.Optim;

namespace Backprop.Tests;

/// <summary>
/// Reads the PyTorch reference fixtures under tests/Backprop.Tests/Fixtures/PyTorch/, written by
/// scripts/make-pytorch-fixtures.py (PyTorch 1.13; its docstring says what each file holds and how to regenerate them).
/// Tensors are <c>{"shape": [...], "values": [...]}</c> with float32 values written as their shortest decimals, so they are
/// read as float32; int64 ones (a BatchNorm's num_batches_tracked, class targets) say <c>"dtype": "int64"</c>.
/// </summary>
internal static class PyTorchFixture
{
    public const string Folder = "tests/Backprop.Tests/Fixtures/PyTorch";

    public static string File(string name) => Repository.File($"{Folder}/{name}");

    /// <summary>The names of the entries of an array of objects with a "name".</summary>
    public static string[] Names(JsonElement array) => [.. array.EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    /// <summary>The entry of an array of objects with this "name".</summary>
    public static JsonElement Named(JsonElement array, string name) =>
        array.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>A fixture file's root.</summary>
    public static JsonElement Load(string name)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(File(name)));
        return document.RootElement.Clone();
    }

    /// <summary>A float32 tensor from <c>{"shape", "values"}</c>, or an int64 one when it says <c>"dtype": "int64"</c>.</summary>
    public static Tensor Tensor(JsonElement element)
    {
        var shape = element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        if (element.TryGetProperty("dtype", out var dtype) && dtype.GetString() == "int64")
        {
            return Backprop.Tensor.FromArray(element.GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).ToArray(), new Shape(shape));
        }
        var values = element.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return Backprop.Tensor.FromArray(values, new Shape(shape));
    }

    /// <summary>A state dict (name → tensor) in the file's order.</summary>
    public static Dictionary<string, Tensor> StateDict(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => Tensor(p.Value));

    /// <summary>
    /// Backprop's optimizer for a fixture entry's PyTorch optimizer class (<c>"optimizer"</c>: SGD, Adam, AdamW, RMSprop)
    /// with the hyperparameters PyTorch recorded (<c>"hyperparameters"</c>: its param_groups[0], defaults included).
    /// </summary>
    public static Optimizer CreateOptimizer(JsonElement entry, IEnumerable<Tensor> parameters)
    {
        string kind = entry.GetProperty("optimizer").GetString()!;
        var hyperparameters = entry.GetProperty("hyperparameters");
        double Number(string name) => hyperparameters.GetProperty(name).GetDouble();
        bool Flag(string name) => hyperparameters.GetProperty(name).GetBoolean();
        Assert.False(Flag("maximize"), "Backprop has no maximize option");
        double lr = Number("lr");
        switch (kind)
        {
            case "SGD":
                return new Sgd(parameters, lr, Number("momentum"), Number("dampening"), Flag("nesterov"), Number("weight_decay"));
            case "Adam":
            case "AdamW":
                Assert.False(Flag("amsgrad"), "Backprop's Adam has no AMSGrad variant");
                var betas = hyperparameters.GetProperty("betas").EnumerateArray().Select(b => b.GetDouble()).ToArray();
                return kind == "Adam"
                    ? new Adam(parameters, lr, betas[0], betas[1], Number("eps"), Number("weight_decay"))
                    : new AdamW(parameters, lr, betas[0], betas[1], Number("eps"), Number("weight_decay"));
            case "RMSprop":
                return new RMSprop(parameters, lr, Number("alpha"), Number("eps"), Number("weight_decay"), Number("momentum"), Flag("centered"));
            default:
                throw new ArgumentException($"no Backprop optimizer for PyTorch's {kind}");
        }
    }

    /// <summary>The largest |actual − expected| over two tensors of one shape.</summary>
    public static double LargestDifference(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var a = actual.ToDoubleArray();
        var e = expected.ToDoubleArray();
        double largest = 0;
        for (int i = 0; i < a.Length; i++) largest = Math.Max(largest, Math.Abs(a[i] - e[i]));
        return largest;
    }

    /// <summary>The largest difference over the tensors of two state dicts with the same names, and where it is.</summary>
    public static (double Difference, string Name) LargestDifference(
        IReadOnlyDictionary<string, Tensor> actual, IReadOnlyDictionary<string, Tensor> expected)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        return expected.Select(p => (LargestDifference(actual[p.Key], p.Value), p.Key)).MaxBy(d => d.Item1);
    }
}
