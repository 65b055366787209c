using System.Text.Json;
using Backprop.Losses;
using Backprop.Optim;
using Xunit.Abstractions;

namespace Backprop.Tests.Optim;

/// <summary>
/// Every optimizer variant and both LR schedules against PyTorch, step by step, on one fixed problem with 2-D parameters:
/// loss = mse_loss(x·weightᵀ + bias, y), weight [3, 4], bias [3]. The expected numbers come from PyTorch 1.13 (Debian's
/// python3-torch) through scripts/make-pytorch-fixtures.py, which wrote Fixtures/PyTorch/optimizers.json; its docstring
/// says how to regenerate the file. The optimizers are built from the hyperparameters PyTorch recorded, defaults included.
/// </summary>
public class PyTorchOptimizerFixtureTests(ITestOutputHelper output)
{
    /// <summary>
    /// Both sides compute in float32, but not in the same order (PyTorch's BLAS sums the matrix product differently from
    /// Backprop's GEMM; fused ops such as addcdiv round once where Backprop rounds twice), so the parameters differ by a few
    /// float32 rounding steps (ε = 1.2e-7 near 1) per optimizer step; the parameters here are below 2 in size. 1e-5 is
    /// far above that and far below any step (at least 1e-3 in every case), so a wrong formula cannot pass.
    /// </summary>
    private const double Tolerance = 1e-5;

    private static readonly JsonElement Fixture = PyTorchFixture.Load("optimizers.json");

    public static TheoryData<string> Cases() => [.. PyTorchFixture.Names(Fixture.GetProperty("cases"))];

    [Fact]
    public void EveryOptimizerAndScheduleIsCovered()
    {
        var cases = Fixture.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(["Adam", "AdamW", "RMSprop", "SGD"], cases.Select(c => c.GetProperty("optimizer").GetString()).Distinct().Order());
        Assert.Equal(["CosineAnnealingLR", "StepLR"], cases.Select(c => c.GetProperty("schedule"))
            .Where(s => s.ValueKind != JsonValueKind.Null).Select(s => s.GetProperty("kind").GetString()).Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepsMatchPyTorch(string name)
    {
        var fixture = PyTorchFixture.Named(Fixture.GetProperty("cases"), name);
        var x = PyTorchFixture.Tensor(Fixture.GetProperty("x"));
        var y = PyTorchFixture.Tensor(Fixture.GetProperty("y"));
        var weight = PyTorchFixture.Tensor(Fixture.GetProperty("weight"));
        var bias = PyTorchFixture.Tensor(Fixture.GetProperty("bias"));
        weight.RequiresGrad = bias.RequiresGrad = true;
        var optimizer = PyTorchFixture.CreateOptimizer(fixture, [weight, bias]);
        var scheduler = CreateSchedule(fixture.GetProperty("schedule"), optimizer);

        int step = 0;
        double largest = 0;
        foreach (var expected in fixture.GetProperty("steps").EnumerateArray())
        {
            step++;
            optimizer.ZeroGrad();
            Loss.Mse(x.Linear(weight, bias), y).Backward();
            optimizer.Step();
            scheduler?.Step();

            double weightDifference = PyTorchFixture.LargestDifference(weight, PyTorchFixture.Tensor(expected.GetProperty("weight")));
            double biasDifference = PyTorchFixture.LargestDifference(bias, PyTorchFixture.Tensor(expected.GetProperty("bias")));
            largest = Math.Max(largest, Math.Max(weightDifference, biasDifference));
            Assert.True(weightDifference <= Tolerance, $"{name}, step {step}: weight differs from PyTorch's by up to {weightDifference:G3}");
            Assert.True(biasDifference <= Tolerance, $"{name}, step {step}: bias differs from PyTorch's by up to {biasDifference:G3}");
            if (scheduler is not null)
            {
                // The learning rate is a double on both sides; only the order of operations differs (PyTorch's cosine is recursive).
                Assert.Equal(expected.GetProperty("lr").GetDouble(), optimizer.LearningRate, 1e-12);
            }
        }
        Assert.True(step > 0);
        output.WriteLine($"{name}: {step} steps, largest parameter difference from PyTorch {largest:G3}");
    }

    private static LRScheduler? CreateSchedule(JsonElement schedule, Optimizer optimizer) =>
        schedule.ValueKind == JsonValueKind.Null ? null : schedule.GetProperty("kind").GetString() switch
        {
            "StepLR" => new StepLR(optimizer, schedule.GetProperty("step_size").GetInt32(), schedule.GetProperty("gamma").GetDouble()),
            "CosineAnnealingLR" => new CosineAnnealingLR(optimizer, schedule.GetProperty("T_max").GetInt32(),
                schedule.GetProperty("eta_min").GetDouble()),
            var kind => throw new ArgumentException($"no Backprop schedule for PyTorch's {kind}"),
        };
}
