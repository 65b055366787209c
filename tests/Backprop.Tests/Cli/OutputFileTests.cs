using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Cli;

/// <summary>
/// Every option that names a file to write refuses a path that cannot be one before any work starts (for train, before
/// training), in one line naming the option, and leaves every file as it was.
/// </summary>
public class OutputFileTests
{
    public static TheoryData<string> Options() => ["train --save", "train --log", "export --onnx", "plot --out", "graph --out"];

    /// <summary>The command line that writes <paramref name="path"/> through <paramref name="option"/>, its other inputs made in <paramref name="dir"/>.</summary>
    private static string[] CommandLine(TempDirectory dir, string option, string path)
    {
        string[] train = ["train", "--data", dir.WriteTinyMnist(), "--layers", "4,2", "--epochs", "1"];
        return option switch
        {
            "train --save" => [.. train, "--save", path],
            "train --log" => [.. train, "--save", dir.File("m.safetensors"), "--log", path],
            "export --onnx" => ["export", "--model", SaveModel(dir), "--onnx", path],
            "plot --out" => ["plot", "cost", "--out", path],
            _ => ["graph", "--out", path],
        };
    }

    private static string SaveModel(TempDirectory dir)
    {
        var spec = ModelDescription.Mlp([4, 2], Activation.ReLU, new CrossEntropyLoss());
        ModelFile.Save(dir.File("model.safetensors"), spec.Build(new Generator(1)), spec);
        return dir.File("model.safetensors");
    }

    private static void AssertRefused(TempDirectory dir, string option, string path, string message)
    {
        var args = CommandLine(dir, option, path);
        var before = dir.Snapshot();
        CliAssert.OneLineError(CliRunner.Run(args), $"{option.Split(' ')[1]}: {message}");
        Assert.Equal(before, dir.Snapshot());
    }

    // The files are named out.dot: graph takes only .dot or .svg, the others any name.
    [Theory]
    [MemberData(nameof(Options))]
    public void ADirectoryThatDoesNotExistIsRefused(string option)
    {
        using var dir = new TempDirectory();
        AssertRefused(dir, option, dir.File("missing/out.dot"), $"directory '{dir.File("missing")}' does not exist");
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void APathThatIsADirectoryIsRefused(string option)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("out.dot"));
        AssertRefused(dir, option, dir.File("out.dot"), $"'{dir.File("out.dot")}' is a directory, not a file");
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void APathInsideAFileIsRefused(string option)
    {
        using var dir = new TempDirectory();
        string file = dir.WriteText("notes.txt", "a file, not a directory");
        AssertRefused(dir, option, Path.Combine(file, "out.dot"), $"'{file}' is a file, not a directory");
    }

    [Fact]
    public void AnEmptyFileNameIsRefused()
    {
        using var dir = new TempDirectory();
        AssertRefused(dir, "train --save", "", "the file name is empty");
    }

    // Linux's /sys (sysfs) takes no new files, from root either: the refusal comes only when writing, from the system
    // (UnauthorizedAccessException for "Permission denied", an IOException on a read-only mount), and is one line.
    [Fact]
    public void AFileTheSystemRefusesIsOneLineNamingIt()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("export", "--model", SaveModel(dir), "--onnx", "/sys/backprop-test.onnx");
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith("backprop: /sys/backprop-test.onnx: cannot be written (", error);
        Assert.Single(error.TrimEnd().Split('\n'));

        var args = CommandLine(dir, "train --log", "/sys/backprop-test.csv");
        var before = dir.Snapshot();
        (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.DoesNotContain("   at ", error);
        Assert.Contains("'/sys/backprop-test.csv'", Assert.Single(error.TrimEnd().Split('\n')));
        Assert.Equal(before, dir.Snapshot()); // the log was refused before training, so no model was saved either
    }
}
