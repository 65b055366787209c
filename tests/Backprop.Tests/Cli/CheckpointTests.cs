using System.Diagnostics;
using Backprop.IO;

namespace Backprop.Tests.Cli;

/// <summary>`train --checkpoint` and `--resume`: a resumed run ends exactly where an uninterrupted one does, and a run killed while writing a checkpoint leaves the previous one whole.</summary>
public class CheckpointTests
{
    private static string[] Train(string data, string optimizer, int epochs, params string[] more) =>
        ["train", "--data", data, "--layers", "4,8,2", "--optimizer", optimizer, "--lr", "0.01", "--batch-size", "8", "--epochs", $"{epochs}", "--seed", "3", .. more];

    [Theory]
    [InlineData("momentum")]
    [InlineData("adam")]
    public void AResumedRunEndsWithTheWeightsOfAnUninterruptedOne(string optimizer)
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        Assert.Equal(0, CliRunner.Run(Train(data, optimizer, 4, "--checkpoint", dir.File("a"), "--save", dir.File("a.safetensors"))).Code);

        // The same run stopped after epoch 2 (as if interrupted there), then resumed to epoch 4.
        Assert.Equal(0, CliRunner.Run(Train(data, optimizer, 2, "--checkpoint", dir.File("b"), "--save", dir.File("b2.safetensors"))).Code);
        var (code, output, error) = CliRunner.Run(Train(data, optimizer, 4, "--resume", dir.File("b"), "--save", dir.File("b.safetensors")));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("epoch 2 done, 10 steps", output);
        Assert.DoesNotContain("epoch 1/4", output);

        var uninterrupted = Safetensors.Load(dir.File("a.safetensors")).Tensors;
        var resumed = Safetensors.Load(dir.File("b.safetensors")).Tensors;
        foreach (var (name, tensor) in uninterrupted) Assert.Equal(tensor.ToFloatArray(), resumed[name].ToFloatArray());
        Assert.Equal(File.ReadAllBytes(Checkpoint("a", dir)), File.ReadAllBytes(Checkpoint("b", dir))); // optimizer state and generator too
    }

    [Fact]
    public void AConvNetsBatchNormStatisticsResumeWithIt()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyImages();
        string[] Run(int epochs, params string[] more) =>
            ["train", "--data", data, "--arch", "Conv2d(1, 3, 3, bias=False), BatchNorm2d(3), ReLU(), MaxPool2d(2), Flatten(), Linear(27, 3)",
             "--optimizer", "momentum", "--lr", "0.05", "--batch-size", "8", "--epochs", $"{epochs}", "--seed", "5", .. more];
        Assert.Equal(0, CliRunner.Run(Run(4, "--checkpoint", dir.File("a"), "--save", dir.File("a.safetensors"))).Code);
        Assert.Equal(0, CliRunner.Run(Run(2, "--checkpoint", dir.File("b"), "--save", dir.File("b2.safetensors"))).Code);
        var (code, _, error) = CliRunner.Run(Run(4, "--resume", dir.File("b"), "--save", dir.File("b.safetensors")));
        Assert.Equal((0, ""), (code, error));

        var uninterrupted = Safetensors.Load(dir.File("a.safetensors")).Tensors;
        var resumed = Safetensors.Load(dir.File("b.safetensors")).Tensors;
        Assert.Contains("1.running_var", resumed.Keys);
        Assert.Equal([12L], resumed["1.num_batches_tracked"].ToInt64Array()); // 3 batches of 8 from 24 images, 4 epochs
        foreach (var (name, tensor) in uninterrupted) Assert.Equal(tensor.ToDoubleArray(), resumed[name].ToDoubleArray());
    }

    [Fact]
    public void ResumingWithAnotherConfigurationIsRefusedNamingTheDifference()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        Assert.Equal(0, CliRunner.Run(Train(data, "adam", 1, "--checkpoint", dir.File("c"), "--save", dir.File("m.safetensors"))).Code);
        var (code, _, error) = CliRunner.Run(["train", "--data", data, "--layers", "4,8,2", "--optimizer", "adam", "--lr", "0.05", "--batch-size", "8", "--epochs", "3", "--seed", "4", "--resume", dir.File("c"), "--save", dir.File("m.safetensors")]);
        Assert.Equal(2, code);
        Assert.Equal($"backprop: {Checkpoint("c", dir)}: was written by a different configuration: --lr is 0.01 in the checkpoint, 0.05 now; --seed is 3 in the checkpoint, 4 now", error.TrimEnd());
    }

    [Fact]
    public void ResumingFromADirectoryWithoutACheckpointIsOneLine()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run(Train(dir.WriteTinyMnist(), "adam", 2, "--resume", dir.File("none"), "--save", dir.File("m.safetensors")));
        Assert.Equal(2, code);
        Assert.StartsWith($"backprop: {Checkpoint("none", dir)}: cannot be read (", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void KilledWhileWritingACheckpointLeavesThePreviousOneWhole()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string checkpoints = dir.File("k");
        // A wide network, so that writing its checkpoint (34 MB with momentum buffers) takes most of each epoch.
        string[] args = ["train", "--data", data, "--layers", "4,2048,2048,2", "--optimizer", "momentum", "--batch-size", "8", "--epochs", "1000", "--checkpoint", checkpoints, "--save", dir.File("m.safetensors")];
        bool killedMidWrite = false;
        for (int attempt = 0; attempt < 5 && !killedMidWrite; attempt++)
        {
            if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
            killedMidWrite = KillDuringASecondCheckpointWrite(args, checkpoints);
        }
        Assert.True(killedMidWrite, "the process was never caught writing a checkpoint");

        Assert.NotEmpty(Directory.GetFiles(checkpoints, ".checkpoint.safetensors.*.tmp")); // the half-written one
        var previous = Safetensors.Load(Checkpoint("k", dir));                              // the previous one, whole
        int epoch = int.Parse(previous.Metadata["backprop.checkpoint.epoch"]);
        Assert.True(epoch >= 1);

        var (code, output, error) = CliRunner.Run([.. args[..^6], "--epochs", $"{epoch + 1}", "--resume", checkpoints, "--save", dir.File("m.safetensors")]);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains($"epoch {epoch} done", output);
        Assert.Empty(Directory.GetFiles(checkpoints, ".checkpoint.safetensors.*.tmp")); // cleared by the next checkpoint
    }

    /// <summary>Starts the tool, waits until a checkpoint exists and the next one is being written, and kills it then.</summary>
    private static bool KillDuringASecondCheckpointWrite(string[] args, string checkpoints)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "Backprop.Cli.dll");
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                if (File.Exists(Path.Combine(checkpoints, "checkpoint.safetensors")) && Directory.Exists(checkpoints)
                    && Directory.EnumerateFiles(checkpoints, ".checkpoint.safetensors.*.tmp").Any())
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                    return Directory.EnumerateFiles(checkpoints, ".checkpoint.safetensors.*.tmp").Any();
                }
            }
            return false;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static string Checkpoint(string name, TempDirectory dir) => Path.Combine(dir.File(name), "checkpoint.safetensors");
}
