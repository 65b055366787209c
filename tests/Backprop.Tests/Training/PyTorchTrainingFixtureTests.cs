using System.Text.Json;
using Backprop.Losses;
using Backprop.Data;
using Backprop.NN;
using Backprop.Training;
using Xunit.Abstractions;

namespace Backprop.Tests.Training;

/// <summary>
/// The issue's seven optimizer configurations through the library's <see cref="Trainer"/>: a 4-8-3 ReLU MLP from PyTorch's
/// initial weights, cross-entropy on Fixtures/PyTorch/tiny.csv, batch size 32 in file order, exactly 24 optimizer steps,
/// against the weights PyTorch 1.13 (Debian's python3-torch) reached, written by scripts/make-pytorch-fixtures.py into
/// Fixtures/PyTorch/mlp-training.json (its docstring says how to regenerate it). Cli/OptimizerParityTests runs the same
/// through `backprop train`.
/// </summary>
public class PyTorchTrainingFixtureTests(ITestOutputHelper output)
{
    /// <summary>
    /// Float32 on both sides in different summation orders (PyTorch's BLAS and Backprop's GEMM, the loss's reductions): after
    /// 24 steps the weights differ by a few float32 rounding steps of their size (below 2 here; measured: at most 2.4e-7).
    /// 1e-5 is far above that and far below what tells two configurations apart (see
    /// <see cref="EveryTwoConfigurationsEndFarApartComparedWithTheTolerance"/>). The issue asked for 2e-4, which is too loose
    /// for adamw: without its default weight decay of 0.01 it ends only 1.2e-4 from PyTorch's weights after 24 steps.
    /// </summary>
    internal const double Tolerance = 1e-5;

    internal static readonly JsonElement Fixture = PyTorchFixture.Load("mlp-training.json");

    public static TheoryData<string> Configurations() => [.. PyTorchFixture.Names(Fixture.GetProperty("configurations"))];

    internal static JsonElement Configuration(string name) => PyTorchFixture.Named(Fixture.GetProperty("configurations"), name);

    /// <summary>The MLP's layer sizes, inputs first.</summary>
    internal static int[] Layers => [.. Fixture.GetProperty("layers").EnumerateArray().Select(l => l.GetInt32())];

    internal static ModelDescription Spec => ModelDescription.Mlp(
        Layers,
        Activation.Parse(Fixture.GetProperty("activation").GetString()!),
        LossModule.Parse(Fixture.GetProperty("loss").GetString()!));

    /// <summary>The network with PyTorch's initial weights.</summary>
    internal static Sequential InitialModel()
    {
        var model = (Sequential)Spec.Build(new Generator());
        model.LoadStateDict(PyTorchFixture.StateDict(Fixture.GetProperty("initial")));
        return model;
    }

    [Fact]
    public void TheSevenConfigurationsOfTheIssueAreThere()
    {
        Assert.Equal(["sgd", "momentum", "nesterov", "sgd-weight-decay", "adam", "adamw", "rmsprop"],
            PyTorchFixture.Names(Fixture.GetProperty("configurations")));
        Assert.Equal(24, Fixture.GetProperty("steps").GetInt32());
    }

    [Fact]
    public void EveryTwoConfigurationsEndFarApartComparedWithTheTolerance()
    {
        var ends = Fixture.GetProperty("configurations").EnumerateArray()
            .Select(c => (Name: c.GetProperty("name").GetString()!, Weights: PyTorchFixture.StateDict(c.GetProperty("weights")))).ToList();
        for (int i = 0; i < ends.Count; i++)
        {
            for (int j = i + 1; j < ends.Count; j++)
            {
                double apart = PyTorchFixture.LargestDifference(ends[i].Weights, ends[j].Weights).Difference;
                Assert.True(apart > 10 * Tolerance, $"{ends[i].Name} and {ends[j].Name} end only {apart:G3} apart");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void TwentyFourStepsMatchPyTorch(string name)
    {
        var configuration = Configuration(name);
        var spec = Spec;
        var model = InitialModel();
        var optimizer = PyTorchFixture.CreateOptimizer(configuration, model.Parameters());
        string data = PyTorchFixture.File(Fixture.GetProperty("data").GetString()!);
        var loader = new DataLoader(CsvFile.Read(data).ToDataset(Fixture.GetProperty("target").GetString(), classes: spec.CreateTask() is ClassificationTask),
            Fixture.GetProperty("batch_size").GetInt32(), shuffle: false);
        int steps = Fixture.GetProperty("steps").GetInt32();
        Assert.Equal(steps, new Trainer(model, spec.Loss, optimizer, spec.CreateTask()).Fit(loader, Fixture.GetProperty("epochs").GetInt32(), steps));

        var (difference, where) = PyTorchFixture.LargestDifference(model.StateDict(), PyTorchFixture.StateDict(configuration.GetProperty("weights")));
        double moved = PyTorchFixture.LargestDifference(model.StateDict(), PyTorchFixture.StateDict(Fixture.GetProperty("initial"))).Difference;
        output.WriteLine($"{name}: largest weight difference from PyTorch {difference:G3} ({where}); the weights moved up to {moved:G3}");
        Assert.True(difference <= Tolerance, $"{name}: {where} differs from PyTorch's by up to {difference:G3}");
    }
}
