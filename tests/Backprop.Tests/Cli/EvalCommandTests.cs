using Backprop.Losses;
using Backprop.Autograd;
using Backprop.Cli;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Cli;

public class EvalCommandTests
{
    /// <summary>An untrained model for the tiny MNIST-like data (4 pixels): eval needs only weights, not good ones.</summary>
    private static string SaveModel(TempDirectory dir, int[] layers, ulong seed = 3)
    {
        var spec = ModelDescription.Mlp(layers, Activation.ReLU, new CrossEntropyLoss());
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, spec.Build(new Generator(seed)), spec);
        return path;
    }

    [Fact]
    public void PrintsTheLossAccuracyAndConfusionMatrixOfTheModelsPredictions()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist(count: 40, classes: 3);
        string model = SaveModel(dir, [4, 5, 3]);
        var (code, output, error) = CliRunner.Run("eval", "--model", model, "--data", data);
        Assert.Equal((0, ""), (code, error));

        // The expected numbers from the model's forward pass over the test set (t10k-*), worked out here: the predicted class
        // is the largest output, the loss the mean of −log softmax at the true class, computed in float64.
        var (network, _) = ModelFile.Load(model);
        var test = DataSource.Read(data, null, header: null, testOnly: true).TestSet(new ClassificationTask());
        network.Eval();
        double[] outputs;
        using (new NoGrad()) outputs = network.Forward(test.Flatten().Features).ToDoubleArray();
        var labels = test.Targets.ToDoubleArray().Select(l => (int)l).ToArray();
        var confusion = new int[3, 3];
        double loss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = outputs.AsSpan(i * 3, 3).ToArray();
            confusion[labels[i], Array.IndexOf(row, row.Max())]++;
            double max = row.Max();
            loss += max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[labels[i]];
        }
        loss /= labels.Length;
        int correct = Enumerable.Range(0, 3).Sum(c => confusion[c, c]);
        // A matrix worth checking: more than one class predicted, so a swapped row or column shows.
        Assert.True(Enumerable.Range(0, 3).Count(p => Enumerable.Range(0, 3).Any(t => confusion[t, p] > 0)) > 1, "the model predicts one class only");

        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var summary = lines[0].Split(' ');
        // "40 examples: loss 1.0986, accuracy 32.50 %": the loss to its 4 decimals (float32 sums differ from float64 by far less).
        Assert.Equal(["40", "examples:", "loss"], summary[..3]);
        Assert.InRange(double.Parse(summary[3].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture), loss - 6e-5, loss + 6e-5);
        Assert.Equal($"accuracy {correct / 40.0:P2}", string.Join(' ', summary[4..]));
        Assert.Equal("confusion matrix (rows: true class, columns: predicted class)", lines[1]);
        // The table's rows: "│ 0                │ 5 │ 3 │ 2 │", true class first, then the count per predicted class.
        var rows = lines.Where(l => l.StartsWith('│')).Select(l => l.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Skip(1).ToList();
        Assert.Equal(3, rows.Count);
        for (int t = 0; t < 3; t++)
        {
            Assert.Equal([$"{t}", .. Enumerable.Range(0, 3).Select(p => $"{confusion[t, p]}")], rows[t]);
        }
    }

    [Fact]
    public void MissingDataIsOneLineNamingIt()
    {
        using var dir = new TempDirectory();
        string model = SaveModel(dir, [4, 2]);
        var before = dir.Snapshot();

        foreach (string missing in new[] { dir.File("none.csv"), dir.File("no-such-directory") + "/" })
        {
            CliAssert.OneLineError(CliRunner.Run("eval", "--model", model, "--data", missing), $"{missing}: no such file or directory");
        }
        Assert.Equal(before, dir.Snapshot());
    }

    [Fact]
    public void DataWithOtherFeaturesThanTheModelTakesIsOneLine()
    {
        using var dir = new TempDirectory();
        string model = SaveModel(dir, [5, 2]);
        string csv = dir.WriteText("three.csv", "a,b,c,y\n1,2,3,0\n4,5,6,1\n");
        string idx = dir.WriteTinyMnist();
        var before = dir.Snapshot();

        CliAssert.OneLineError(CliRunner.Run("eval", "--model", model, "--data", csv), $"{csv}: has 3 features per example, the model takes 5 inputs (Linear(5, 2))");
        CliAssert.OneLineError(CliRunner.Run("eval", "--model", model, "--data", idx),
            $"{Path.Combine(idx, "t10k-images-idx3-ubyte")}: has 4 features per example, the model takes 5 inputs (Linear(5, 2))");
        Assert.Equal(before, dir.Snapshot());
    }

    [Fact]
    public void DataWithMoreClassesThanTheModelHasIsOneLine()
    {
        using var dir = new TempDirectory();
        string model = SaveModel(dir, [2, 2]);
        string csv = dir.WriteText("classes.csv", "a,b,y\n1,2,0\n3,4,2\n");
        var before = dir.Snapshot();

        CliAssert.OneLineError(CliRunner.Run("eval", "--model", model, "--data", csv), $"{csv}: has labels up to 2, the model has 2 classes (Linear(2, 2))");
        Assert.Equal(before, dir.Snapshot());
    }

    [Fact]
    public void AModelFileWithoutItsArchitectureAsksForIt()
    {
        using var dir = new TempDirectory();
        var spec = ModelDescription.Mlp([4, 2], Activation.ReLU, new CrossEntropyLoss());
        string plain = dir.File("plain.safetensors");
        Backprop.IO.Safetensors.Save(plain, spec.Build(new Generator(1)).StateDict()); // as PyTorch's save_file writes a state dict
        string data = dir.WriteTinyMnist();

        CliAssert.OneLineError(CliRunner.Run("eval", "--model", plain, "--data", data), $"{plain}: records no architecture; give --arch, or --layers and --activation");
        Assert.Equal(0, CliRunner.Run("eval", "--model", plain, "--data", data, "--layers", "4,2").Code);
    }
}
