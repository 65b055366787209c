using Backprop.IO;

namespace Backprop.Tests.Cli;

public class TrainCommandTests
{
    [Fact]
    public void XorExampleFromTheReadmeReachesFullAccuracy()
    {
        using var dir = new TempDirectory();
        string model = dir.File("xor.safetensors");
        var (code, output, error) = CliRunner.Run("train", "--data", Repository.File("examples/xor.csv"), "--layers", "2,4,1", "--activation", "tanh",
            "--loss", "bce", "--optimizer", "adam", "--lr", "0.1", "--batch-size", "4", "--epochs", "200", "--save", model);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("test: loss", output);
        Assert.Contains("accuracy 100.00 %", output.Split('\n').Single(l => l.StartsWith("test:")));

        var (predictCode, predictions, _) = CliRunner.Run("predict", "--model", model, "--input", Repository.File("examples/xor.csv"), "--target", "y");
        Assert.Equal(0, predictCode);
        Assert.Equal(["index,class,probability", "0,0", "1,1", "2,1", "3,0"],
            predictions.TrimEnd().Split('\n').Select((l, i) => i == 0 ? l : string.Join(',', l.Split(',')[..2])));
    }

    [Fact]
    public void TrainsOnIdxDataSavesAndEvaluatesTheSameModel()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string model = dir.File("tiny.safetensors");
        string log = dir.File("metrics.csv");
        var (code, output, error) = CliRunner.Run("train", "--data", data, "--layers", "4,6,2", "--optimizer", "momentum", "--lr", "0.1",
            "--batch-size", "8", "--epochs", "3", "--seed", "2", "--save", model, "--log", log);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("training Linear(4, 6), ReLU(), Linear(6, 2) ([4] inputs, cross-entropy) on 40 examples, testing on 40", output);
        var epochLines = output.Split('\n').Where(l => l.StartsWith("epoch ")).ToList();
        Assert.Equal(3, epochLines.Count);
        // The log holds, per epoch, the numbers the epoch's line printed (to the line's rounding).
        var logLines = File.ReadAllLines(log);
        Assert.Equal(4, logLines.Length);
        Assert.Equal("epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second", logLines[0]);
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            var cells = logLines[epoch].Split(',');
            Assert.Equal(7, cells.Length);
            Assert.Equal($"{epoch}", cells[0]);
            var v = cells[1..5].Select(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.StartsWith($"epoch {epoch}/3: loss {v[0]:F4}, accuracy {v[1]:P2}; test loss {v[2]:F4}, accuracy {v[3]:P2}; ", epochLines[epoch - 1]);
        }

        string testLine = output.Split('\n').Single(l => l.StartsWith("test:"));
        var (evalCode, evaluation, _) = CliRunner.Run("eval", "--model", model, "--data", data);
        Assert.Equal(0, evalCode);
        Assert.Contains(testLine["test: ".Length..testLine.IndexOf(" (", StringComparison.Ordinal)], evaluation);
        Assert.Contains("confusion matrix", evaluation);

        var saved = Safetensors.Load(model);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], saved.Tensors.Keys);
        Assert.Equal("Linear(4, 6), ReLU(), Linear(6, 2)", saved.Metadata["backprop.architecture"]); // --layers is architecture text in the file
    }

    [Fact]
    public void StepsLimitAndInitialWeights()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string first = dir.File("first.safetensors");
        string second = dir.File("second.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--layers", "4,2", "--epochs", "5", "--steps", "3", "--no-shuffle", "--save", first).Code);
        // One step at a learning rate far below float32's resolution leaves the --init weights exactly as loaded.
        var (code, _, error) = CliRunner.Run("train", "--data", data, "--layers", "4,2", "--epochs", "1", "--steps", "1", "--lr", "1e-30", "--init", first, "--save", second);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Equal(Safetensors.Load(first).Tensors["0.weight"].ToFloatArray(), Safetensors.Load(second).Tensors["0.weight"].ToFloatArray());
    }

    [Fact]
    public void FailedRunLeavesThePreviousModel()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string model = dir.File("model.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--layers", "4,2", "--epochs", "1", "--save", model).Code);
        var before = File.ReadAllBytes(model);

        CliAssert.OneLineError(CliRunner.Run("train", "--data", data, "--layers", "5,2", "--epochs", "1", "--save", model),
            $"{Path.Combine(data, "train-images-idx3-ubyte")}: has 4 features per example, the model takes 5 inputs (Linear(5, 2))");
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Theory]
    [InlineData("--layers", "784,x", "backprop: layers: '784,x' is not a list of sizes such as 784,128,10 ('x' is not a size)")]
    [InlineData("--activation", "swish", "backprop: activation: unknown 'swish' (expected one of identity, binary-step, sigmoid, tanh, relu, leaky-relu, elu, gelu, silu, softplus)")]
    [InlineData("--batch-size", "0", "backprop: --batch-size must be at least 1, got 0")]
    [InlineData("--lr", "-1", "backprop: --lr must be greater than 0, got -1")]
    public void BadOptionsPrintOneLine(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        var args = new List<string> { "train", "--data", data, "--layers", "4,2", "--save", dir.File("m.safetensors") };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        var (code, _, error) = CliRunner.Run([.. args]);
        Assert.Equal(2, code);
        Assert.Equal(message + Environment.NewLine, error);
    }

    [Fact]
    public void BadDataFilesPrintOneLineNamingTheFile()
    {
        using var dir = new TempDirectory();
        string csv = dir.WriteText("bad.csv", "a,b\n1,oops\n");
        var (code, _, error) = CliRunner.Run("train", "--data", csv, "--layers", "1,2", "--save", dir.File("m.safetensors"));
        Assert.Equal(2, code);
        Assert.Equal($"backprop: {csv}: line 2, column 'b': 'oops' is not a number{Environment.NewLine}", error);

        (code, _, error) = CliRunner.Run("train", "--data", dir.File("missing"), "--layers", "1,2", "--save", dir.File("m.safetensors"));
        Assert.Equal(2, code);
        Assert.Equal($"backprop: {dir.File("missing")}: no such file or directory{Environment.NewLine}", error);

        string data = dir.WriteTinyMnist(classes: 3);
        (code, _, error) = CliRunner.Run("train", "--data", data, "--layers", "4,2", "--save", dir.File("m.safetensors"));
        Assert.Equal(2, code);
        Assert.EndsWith("has labels up to 2, the model has 2 classes (Linear(4, 2))" + Environment.NewLine, error);

        (code, _, error) = CliRunner.Run("eval", "--model", csv, "--data", data);
        Assert.Equal(2, code);
        Assert.StartsWith($"backprop: {csv}: header length", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void PredictRefusesInputThatDoesNotFitTheModel()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string model = dir.File("m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", data, "--layers", "4,2", "--epochs", "1", "--save", model).Code);
        string csv = dir.WriteText("three.csv", "a,b,c\n1,2,3\n");

        var (code, output, error) = CliRunner.Run("predict", "--model", model, "--input", csv);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"backprop: {csv}: has 3 features per example, the model takes 4 inputs (Linear(4, 2)){Environment.NewLine}", error);
    }

    [Theory]
    [InlineData("train", "--optimizer", "lbfgs")]
    [InlineData("predict", "--format", "xml")]
    [InlineData("bench", "--runs", "0")]
    public void OptionsOutsideTheirChoicesAreOneLineUsageErrors(string command, string option, string value)
    {
        using var dir = new TempDirectory();
        var args = command switch
        {
            "train" => new[] { "train", "--data", dir.Path, "--layers", "4,2", "--save", dir.File("m"), option, value },
            "predict" => ["predict", "--model", dir.File("m"), "--input", dir.File("x"), option, value],
            _ => [command, option, value],
        };
        var (code, output, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(option == "--runs" ? "--runs must be at least 1" : value, error);
    }

    [Fact]
    public void ALossThatBecomesNaNStopsTrainingWithAClearMessage()
    {
        using var dir = new TempDirectory();
        string[] args = ["train", "--data", Repository.File("examples/xor.csv"), "--layers", "2,4,1", "--loss", "bce", "--lr", "1e30", "--epochs", "3", "--save", dir.File("m.safetensors")];

        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("backprop: training stopped: the loss became nan at step 2 (epoch 2, batch 1); lower --lr, or add --detect-anomaly to find the op that made it", error.TrimEnd());
        Assert.False(File.Exists(dir.File("m.safetensors")));

        (code, _, error) = CliRunner.Run([.. args, "--detect-anomaly"]);
        Assert.Equal(2, code);
        Assert.Equal("backprop: linear in layer 2 (Linear) produced -inf in forward", error.TrimEnd());
    }
}
