using System.Diagnostics;
using System.Text;

namespace Backprop.Tests.Cli;

/// <summary>
/// CSV files as they come: without a header row, gzipped, or from a pipe, which can be read only once. train says in its
/// first line what it took the first row for.
/// </summary>
public class CsvDataTests
{
    // Six examples of two features and a class 0–2, with no header row, as scikit-learn ships its data sets.
    private const string Headerless = "0.1,0.2,0\n0.9,0.1,1\n0.5,0.9,2\n0.2,0.1,0\n0.8,0.2,1\n0.4,0.8,2\n";

    [Fact]
    public void AHeaderlessFileTrainsOnEveryRow()
    {
        using var dir = new TempDirectory();
        string csv = dir.WriteText("headerless.csv", Headerless);
        string[] train = ["train", "--data", csv, "--layers", "2,3", "--epochs", "1", "--save", dir.File("m.safetensors")];

        var (code, output, error) = CliRunner.Run(train);
        Assert.Equal((0, ""), (code, error));
        Assert.Equal($"{csv}: no header row (the first row is numbers; --header yes takes it for column names)", FirstLine(output));
        Assert.Contains("training Linear(2, 3) ([2] inputs, cross-entropy) on 6 examples", output);

        (code, output, error) = CliRunner.Run([.. train, "--header", "yes"]);
        Assert.Equal((0, ""), (code, error));
        Assert.Equal($"{csv}: the first row is column names (--header yes)", FirstLine(output));
        Assert.Contains("on 5 examples", output);

        // eval and predict read it the same way: every row an example.
        (code, output, error) = CliRunner.Run("eval", "--model", dir.File("m.safetensors"), "--data", csv, "--header", "no");
        Assert.Equal((0, ""), (code, error));
        Assert.StartsWith("6 examples: loss ", output);
        (code, output, error) = CliRunner.Run("predict", "--model", dir.File("m.safetensors"), "--input", csv, "--target", "2");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(7, output.TrimEnd().Split('\n').Length); // the column names, then one line per row
    }

    [Fact]
    public void AHeaderIsDetectedAndCanBeOverruled()
    {
        using var dir = new TempDirectory();
        string csv = Repository.File("examples/xor.csv");
        string[] train = ["train", "--data", csv, "--layers", "2,2", "--epochs", "1", "--save", dir.File("m.safetensors")];

        var (code, output, error) = CliRunner.Run(train);
        Assert.Equal((0, ""), (code, error));
        Assert.Equal($"{csv}: the first row is column names (not all numbers; --header no reads it as data)", FirstLine(output));
        Assert.Contains("on 4 examples", output);

        CliAssert.OneLineError(CliRunner.Run([.. train, "--header", "no"]), $"{csv}: line 1, column '0': 'x1' is not a number");
        var (usageCode, _, usage) = CliRunner.Run([.. train, "--header", "maybe"]);
        Assert.Equal(2, usageCode);
        Assert.Equal("backprop: --header must be one of auto, yes, no, got 'maybe'", usage.TrimEnd());
    }

    [Fact]
    public void GzippedCsvIsReadByTrainEvalAndPredict()
    {
        using var dir = new TempDirectory();
        string csv = dir.WriteBytes("digits.csv.gz", Encoding.UTF8.GetBytes(Headerless), gzip: true);
        string model = dir.File("m.safetensors");

        var (code, output, error) = CliRunner.Run("train", "--data", csv, "--layers", "2,3", "--epochs", "1", "--save", model);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("on 6 examples", output);
        (code, output, error) = CliRunner.Run("eval", "--model", model, "--data", csv);
        Assert.Equal((0, ""), (code, error));
        Assert.StartsWith("6 examples: loss ", output);
        // predict tells IDX images from CSV rows by the first bytes inside the gzip data.
        (code, output, error) = CliRunner.Run("predict", "--model", model, "--input", csv, "--target", "2");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(7, output.TrimEnd().Split('\n').Length);
    }

    /// <summary>
    /// A named pipe gives its contents once: a second read would wait for a writer that never comes. MSE with three outputs
    /// classifies, which only the network says; train used to read the file again as classes once it knew.
    /// </summary>
    [SkippableFact]
    public void TrainReadsItsDataOnce()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs a named pipe (mkfifo)");
        using var dir = new TempDirectory();
        string pipe = dir.File("data.csv");
        using (var mkfifo = Process.Start("mkfifo", pipe))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var writer = Task.Run(() => File.WriteAllText(pipe, Headerless));
        var run = Task.Run(() => CliRunner.Run("train", "--data", pipe, "--arch", "Linear(2, 3)", "--loss", "mse", "--epochs", "1", "--save", dir.File("m.safetensors")));

        bool once = run.Wait(TimeSpan.FromSeconds(60));
        if (!once) File.WriteAllText(pipe, Headerless); // lets the second read finish, so that the test ends
        Assert.True(once, "train opened its data a second time");
        writer.Wait();
        var (code, output, error) = run.Result;
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("(6 examples)", output); // the test line: "test: loss …, accuracy … (6 examples)"
        Assert.Contains("accuracy", output); // scored as classes: the targets were read as class indices
    }

    private static string FirstLine(string output) => output.ReplaceLineEndings("\n").Split('\n')[0];
}
