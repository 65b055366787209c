using System.Text.Json;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;
using Xunit.Abstractions;

namespace Backprop.Tests.NN;

/// <summary>
/// One forward and backward pass of small MLPs against PyTorch: a fixed batch of 5 examples through 4-8-3 networks with
/// every activation Backprop shares with PyTorch (PyTorch's default parameters) under cross-entropy, and through 4-8-3 and
/// 4-8-1 networks under MSE and BCE with logits, with targets encoded by <see cref="ModelDescription.EncodeTargets"/>. The
/// outputs, losses and gradients come from PyTorch 1.13 (Debian's python3-torch) through scripts/make-pytorch-fixtures.py,
/// which wrote Fixtures/PyTorch/mlp-gradients.json; its docstring says how to regenerate the file.
/// </summary>
public class PyTorchMlpFixtureTests(ITestOutputHelper output)
{
    /// <summary>
    /// Float32 on both sides, summed in different orders (PyTorch's BLAS and Backprop's GEMM; the activations' own float32
    /// functions), so values agree to a few float32 rounding steps of their size (ε = 1.2e-7); every number here is below 4.
    /// 1e-5 leaves room for that and for the few ulps by which two exp/erf implementations may differ, and nothing more.
    /// </summary>
    private const double Tolerance = 1e-5;

    private static readonly JsonElement Fixture = PyTorchFixture.Load("mlp-gradients.json");

    public static TheoryData<string> Cases() => [.. Fixture.GetProperty("cases").EnumerateArray().Select(Name)];

    private static string Name(JsonElement c) =>
        $"{c.GetProperty("model").GetString()} {c.GetProperty("activation").GetString()} {c.GetProperty("loss").GetString()}";

    [Fact]
    public void EveryLossAndEveryActivationWithAPyTorchTwinIsCovered()
    {
        var cases = Fixture.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(["bce", "cross-entropy", "mse"], cases.Select(c => c.GetProperty("loss").GetString()).Distinct().Order());
        // binary-step is the only one left out: PyTorch has no differentiable step function.
        Assert.Equal(Activation.All.Select(a => a.Name).Where(a => a != "binary-step").Order(),
            cases.Select(c => c.GetProperty("activation").GetString()).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardLossAndGradientsMatchPyTorch(string name)
    {
        var fixture = Fixture.GetProperty("cases").EnumerateArray().Single(c => Name(c) == name);
        var weights = PyTorchFixture.StateDict(Fixture.GetProperty("models").GetProperty(fixture.GetProperty("model").GetString()!));
        var spec = ModelDescription.Mlp(Backprop.Cli.ArchitectureOptions.ParseLayers(fixture.GetProperty("model").GetString()!.Replace('-', ',')),
            Activation.Parse(fixture.GetProperty("activation").GetString()!), LossModule.Parse(fixture.GetProperty("loss").GetString()!));
        var model = spec.Build(new Generator());
        model.LoadStateDict(weights);
        var targets = Tensor.FromArray(fixture.GetProperty("targets").EnumerateArray().Select(t => t.GetSingle()).ToArray());

        var outputs = model.Forward(PyTorchFixture.Tensor(Fixture.GetProperty("x")));
        var loss = spec.Loss.Forward(outputs, spec.CreateTask().EncodeTargets(targets, outputs));
        loss.Backward();

        double outputDifference = PyTorchFixture.LargestDifference(outputs, PyTorchFixture.Tensor(fixture.GetProperty("output")));
        double lossDifference = Math.Abs(loss.Item() - fixture.GetProperty("loss_value").GetSingle());
        var gradients = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Grad!);
        var (gradientDifference, where) = PyTorchFixture.LargestDifference(gradients, PyTorchFixture.StateDict(fixture.GetProperty("gradients")));
        output.WriteLine($"{name}: largest differences from PyTorch: outputs {outputDifference:G3}, loss {lossDifference:G3}, " +
            $"gradients {gradientDifference:G3} ({where})");
        Assert.True(outputDifference <= Tolerance, $"outputs differ from PyTorch's by up to {outputDifference:G3}");
        Assert.True(lossDifference <= Tolerance, $"the loss differs from PyTorch's by {lossDifference:G3}");
        Assert.True(gradientDifference <= Tolerance, $"the gradient of {where} differs from PyTorch's by up to {gradientDifference:G3}");
    }
}
