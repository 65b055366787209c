namespace Backprop.Tests.Cli;

/// <summary>
/// train's optimizer options take PyTorch's defaults for the chosen optimizer, and an option the optimizer does not take
/// is refused rather than ignored. (The updates themselves are compared with PyTorch elsewhere, from fixtures.)
/// </summary>
public class OptimizerOptionTests
{
    private static byte[] Train(TempDirectory dir, string name, params string[] options)
    {
        string model = dir.File($"{name}.safetensors");
        var (code, _, error) = CliRunner.Run(["train", "--data", Repository.File("examples/xor.csv"), "--layers", "2,4,1", "--loss", "bce",
            "--batch-size", "2", "--epochs", "3", "--save", model, .. options]);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        return File.ReadAllBytes(model);
    }

    /// <summary>Leaving an option out gives the same model, bit for bit, as giving PyTorch's default for that optimizer.</summary>
    [Theory]
    [InlineData("rmsprop", "--momentum", "0")]           // torch.optim.RMSprop: momentum=0
    [InlineData("rmsprop", "--lr", "0.01")]              // torch.optim.RMSprop: lr=0.01
    [InlineData("adam", "--lr", "0.001")]                // torch.optim.Adam: lr=0.001
    [InlineData("adamw", "--weight-decay", "0.01")]      // torch.optim.AdamW: weight_decay=0.01
    [InlineData("adamw", "--lr", "0.001")]
    [InlineData("momentum", "--momentum", "0.9")]        // Backprop's "momentum" and "nesterov" are SGD with momentum 0.9
    [InlineData("nesterov", "--momentum", "0.9")]
    [InlineData("sgd", "--lr", "0.1")]
    [InlineData("adam", "--weight-decay", "0")]
    public void AnOptionLeftOutTakesTheOptimizersDefault(string optimizer, string option, string pytorchDefault)
    {
        using var dir = new TempDirectory();
        Assert.Equal(Train(dir, "given", "--optimizer", optimizer, option, pytorchDefault), Train(dir, "default", "--optimizer", optimizer));
    }

    [Fact]
    public void RmspropMomentumIsUsedWhenGiven()
    {
        using var dir = new TempDirectory();
        Assert.NotEqual(Train(dir, "with", "--optimizer", "rmsprop", "--momentum", "0.9"), Train(dir, "without", "--optimizer", "rmsprop"));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void MomentumForAnOptimizerWithoutOneIsRefused(string optimizer)
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("train", "--data", Repository.File("examples/xor.csv"), "--layers", "2,4,1", "--loss", "bce",
            "--optimizer", optimizer, "--momentum", "0.9", "--save", dir.File("m.safetensors"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"backprop: --momentum does not apply to --optimizer {optimizer} (only to momentum, nesterov, rmsprop){Environment.NewLine}", error);
        Assert.False(File.Exists(dir.File("m.safetensors")));
    }
}
