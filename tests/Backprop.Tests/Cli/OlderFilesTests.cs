namespace Backprop.Tests.Cli;

/// <summary>
/// A model file and a checkpoint written by <c>backprop train</c> before the trainer kept the run's configuration under the
/// library's names (issue 23; Fixtures/Checkpoint/README.md says how they were made): the model still loads, the checkpoint is
/// refused in one line saying why.
/// </summary>
public class OlderFilesTests
{
    private static string Fixture(string name) => Repository.File($"tests/Backprop.Tests/Fixtures/Checkpoint/{name}");

    [Fact]
    public void AnOlderModelFileEvaluatesAsItDidWhenItWasSaved()
    {
        var (code, output, error) = CliRunner.Run("eval", "--model", Fixture("old-model.safetensors"), "--data", Fixture("points.csv"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("loss 0.5019, accuracy 100.00 %", output); // what the train that wrote it printed for its last epoch
    }

    [Fact]
    public void ResumingFromAnOlderCheckpointIsRefusedInOneLine()
    {
        using var dir = new TempDirectory();
        // A copy, so that nothing this run might write could touch the fixture.
        string run = dir.File("old-run");
        Directory.CreateDirectory(run);
        File.Copy(Fixture("old-run/checkpoint.safetensors"), Path.Combine(run, "checkpoint.safetensors"));
        var (code, _, error) = CliRunner.Run("train", "--data", Fixture("points.csv"), "--layers", "2,4,2", "--optimizer", "momentum", "--lr", "0.05",
            "--batch-size", "4", "--epochs", "3", "--seed", "3", "--resume", run, "--save", dir.File("m.safetensors"));
        Assert.Equal(2, code);
        Assert.Equal($"backprop: {Path.Combine(run, "checkpoint.safetensors")}: was written by an older Backprop (its run configuration is keyed by command-line flags); start a new run",
            error.TrimEnd());
        Assert.False(File.Exists(dir.File("m.safetensors")));
    }
}
