using System.Text.Json;
using Backprop.Losses;
using Backprop.NN;
using Xunit.Abstractions;

namespace Backprop.Tests.NN;

/// <summary>
/// The image layers against PyTorch: for each case of Fixtures/PyTorch/conv-layers.json (written by
/// scripts/make-pytorch-fixtures.py with PyTorch 1.13; its docstring says how to regenerate it), the layer built from
/// PyTorch's constructor arguments and loaded with PyTorch's state dict gives PyTorch's output, input gradient and
/// parameter gradients for the same input and upstream gradient, and BatchNorm the same buffers after each training step;
/// and a small conv net with BatchNorm takes one cross-entropy step on int64 targets as PyTorch does.
/// </summary>
public class PyTorchLayerFixtureTests(ITestOutputHelper output)
{
    /// <summary>
    /// Float32 on both sides, summed in different orders (PyTorch's convolution through its own kernels, Backprop's
    /// through im2col and its GEMM; batch statistics accumulated differently), so values agree to a few float32 rounding
    /// steps of the sums they come from. The largest sums here are weight gradients of up to a few hundred products with
    /// magnitudes up to about 20: their rounding is of order 20·1.2e-7·√(terms) ≈ 5e-5 at worst, so they are compared
    /// relative to their size: |actual − expected| ≤ 1e-5·max(1, |expected|). 1e-5 is what the MLP fixtures use; the
    /// largest difference measured is 4.8e-7 (a BatchNorm weight gradient of magnitude 2.2, and a BatchNorm output of 4.2).
    /// </summary>
    private const double Tolerance = 1e-5;

    private static readonly JsonElement Fixture = PyTorchFixture.Load("conv-layers.json");

    public static TheoryData<string> Cases() => [.. PyTorchFixture.Names(Fixture.GetProperty("cases"))];

    [Fact]
    public void EveryLayerKindIsCovered() =>
        Assert.Equal(["AdaptiveAvgPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv2d", "ELU", "Flatten", "LeakyReLU", "MaxPool2d"],
            Fixture.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("layer").GetString()).Distinct().Order());

    [Theory]
    [MemberData(nameof(Cases))]
    public void LayerMatchesPyTorch(string name)
    {
        var fixture = PyTorchFixture.Named(Fixture.GetProperty("cases"), name);
        var layer = Build(fixture.GetProperty("layer").GetString()!, fixture.GetProperty("args"));
        var state = PyTorchFixture.StateDict(fixture.GetProperty("state"));
        Assert.Equal(state.Keys, layer.StateDict().Keys); // PyTorch's names, in PyTorch's order
        layer.LoadStateDict(state);

        var worst = new FixtureDifference(Tolerance);
        if (fixture.TryGetProperty("steps", out var steps))
        {
            foreach (var step in steps.EnumerateArray())
            {
                CompareStep(layer, step, worst);
                foreach (var (buffer, value) in layer.NamedBuffers()) worst.Compare($"{buffer} after the step", value, PyTorchFixture.Tensor(step.GetProperty("buffers").GetProperty(buffer)));
            }
            layer.Eval();
            CompareStep(layer, fixture.GetProperty("eval"), worst);
            Assert.Equal(2 + 3, ((BatchNormBase)layer).NumBatchesTracked!.Item()); // evaluation counts no batch
        }
        else
        {
            CompareStep(layer, fixture, worst);
        }
        output.WriteLine($"{name}: largest difference from PyTorch {worst.Difference:G3} ({worst.Where})");
        Assert.True(worst.Passed, $"{worst.Where} differs from PyTorch's by {worst.Difference:G3}");
    }

    [Fact]
    public void SmallConvNetTakesPyTorchsCrossEntropyStep()
    {
        var network = Fixture.GetProperty("network");
        var model = new Sequential(new Conv2d(1, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Conv2d(4, 6, 3), new ReLU(),
            new AdaptiveAvgPool2d(1), new Flatten(), new Linear(6, 3));
        Assert.Equal(network.GetProperty("keys").EnumerateArray().Select(k => k.GetString()), model.StateDict().Keys);
        model.LoadStateDict(PyTorchFixture.StateDict(network.GetProperty("initial")));
        var targets = PyTorchFixture.Tensor(network.GetProperty("targets"));
        Assert.Equal(DType.Int64, targets.DType);

        var outputs = model.Forward(PyTorchFixture.Tensor(network.GetProperty("x")));
        var loss = new CrossEntropyLoss().Forward(outputs, targets);
        loss.Backward();

        var worst = new FixtureDifference(Tolerance);
        worst.Compare("output", outputs, PyTorchFixture.Tensor(network.GetProperty("output")));
        worst.Compare("loss", loss, Tensor.Scalar(network.GetProperty("loss").GetSingle()));
        foreach (var (name, p) in model.NamedParameters()) worst.Compare($"{name}.grad", p.Grad!, PyTorchFixture.Tensor(network.GetProperty("gradients").GetProperty(name)));
        foreach (var (name, b) in model.NamedBuffers()) worst.Compare(name, b, PyTorchFixture.Tensor(network.GetProperty("buffers").GetProperty(name)));
        output.WriteLine($"network: largest difference from PyTorch {worst.Difference:G3} ({worst.Where})");
        Assert.True(worst.Passed, $"{worst.Where} differs from PyTorch's by {worst.Difference:G3}");
    }

    /// <summary>y = layer(x), then the backward pass of sum(y·g): compares y, dx and each parameter's gradient.</summary>
    private static void CompareStep(Module layer, JsonElement step, FixtureDifference worst)
    {
        layer.ZeroGrad();
        var x = PyTorchFixture.Tensor(step.GetProperty("x"));
        x.RequiresGrad = true;
        var y = layer.Forward(x);
        y.Backward(PyTorchFixture.Tensor(step.GetProperty("g")));
        worst.Compare("y", y, PyTorchFixture.Tensor(step.GetProperty("y")));
        worst.Compare("dx", x.Grad!, PyTorchFixture.Tensor(step.GetProperty("dx")));
        var gradients = step.GetProperty("parameter_gradients");
        Assert.Equal(gradients.EnumerateObject().Select(p => p.Name), layer.NamedParameters().Select(p => p.Key));
        foreach (var (name, p) in layer.NamedParameters()) worst.Compare($"{name}.grad", p.Grad!, PyTorchFixture.Tensor(gradients.GetProperty(name)));
    }

    /// <summary>The layer PyTorch's constructor arguments describe.</summary>
    private static Module Build(string layer, JsonElement args)
    {
        bool Has(string name) => args.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
        int Int(string name) => args.GetProperty(name).GetInt32();
        double Number(string name) => args.GetProperty(name).GetDouble();
        Size2d Pair(string name) => (args.GetProperty(name)[0].GetInt32(), args.GetProperty(name)[1].GetInt32());
        Size2d? OptionalPair(string name) => Has(name) ? Pair(name) : null;
        Padding2d? Padding()
        {
            if (!Has("padding")) return null;
            if (args.GetProperty("padding").ValueKind == JsonValueKind.String) return args.GetProperty("padding").GetString()!; // "same", "valid"
            return (Pair("padding").Height, Pair("padding").Width);
        }
        double? Momentum() => !args.TryGetProperty("momentum", out var m) ? 0.1 : m.ValueKind == JsonValueKind.Null ? null : m.GetDouble();
        return layer switch
        {
            "Conv2d" => new Conv2d(Int("in_channels"), Int("out_channels"), Pair("kernel_size"), OptionalPair("stride"), Padding(), OptionalPair("dilation"),
                Has("groups") ? Int("groups") : 1, !Has("bias") || args.GetProperty("bias").GetBoolean()),
            "MaxPool2d" => new MaxPool2d(Pair("kernel_size"), OptionalPair("stride"), OptionalPair("padding")),
            "AvgPool2d" => new AvgPool2d(Pair("kernel_size"), OptionalPair("stride"), OptionalPair("padding"),
                !Has("count_include_pad") || args.GetProperty("count_include_pad").GetBoolean()),
            "AdaptiveAvgPool2d" => new AdaptiveAvgPool2d(Pair("output_size")),
            "LeakyReLU" => new LeakyReLU(Number("negative_slope")),
            "ELU" => new ELU(Number("alpha")),
            "Flatten" => new Flatten(Int("start_dim")),
            "BatchNorm1d" => new BatchNorm1d(Int("num_features"), Has("eps") ? Number("eps") : 1e-5, Momentum()),
            "BatchNorm2d" => new BatchNorm2d(Int("num_features"), Has("eps") ? Number("eps") : 1e-5, Momentum()),
            _ => throw new ArgumentException($"no Backprop layer for PyTorch's {layer}"),
        };
    }
}
