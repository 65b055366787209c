namespace Backprop.Tests.Cli;

/// <summary>
/// Data without examples (or without features) is refused before anything is written: exit 2, one line naming the file,
/// and every file in the directory, an existing model among them, left byte for byte as it was. Training on it used to
/// report a NaN loss and save the model; evaluating it, a loss of 0.
/// </summary>
public class EmptyDataTests
{
    /// <summary>train refuses <paramref name="data"/>; so does eval when <paramref name="testSetEmpty"/> (eval reads only the test set).</summary>
    private static void AssertRefused(TempDirectory dir, string data, string expectedError, bool testSetEmpty, params string[] more)
    {
        string model = dir.File("model.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", Repository.File("examples/xor.csv"), "--layers", "2,2", "--epochs", "1", "--save", model).Code);
        var before = dir.Snapshot();

        CliAssert.OneLineError(CliRunner.Run(["train", "--data", data, "--layers", "2,2", "--save", model, "--log", dir.File("metrics.csv"), .. more]), expectedError);
        Assert.Equal(before, dir.Snapshot());
        if (testSetEmpty) CliAssert.OneLineError(CliRunner.Run("eval", "--model", model, "--data", data), expectedError);
    }

    [Fact]
    public void HeaderOnlyCsv()
    {
        using var dir = new TempDirectory();
        string csv = dir.WriteText("header-only.csv", "x1,x2,y\n");
        AssertRefused(dir, csv, $"{csv}: has no examples", testSetEmpty: true);
    }

    [Fact]
    public void IdxPairWithZeroImages()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        dir.WriteIdx("tiny/train-images-idx3-ubyte", [0, 2, 2], []);
        dir.WriteIdx("tiny/train-labels-idx1-ubyte.gz", [0], [], gzip: true);
        AssertRefused(dir, data, $"{Path.Combine(data, "train-images-idx3-ubyte")}: has no examples", testSetEmpty: false);
    }

    [Fact]
    public void IdxTestSetWithZeroImages()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        dir.WriteIdx("tiny/t10k-images-idx3-ubyte", [0, 2, 2], []);
        dir.WriteIdx("tiny/t10k-labels-idx1-ubyte.gz", [0], [], gzip: true);
        AssertRefused(dir, data, $"{Path.Combine(data, "t10k-images-idx3-ubyte")}: has no examples", testSetEmpty: true);
    }

    [Fact]
    public void TargetThatLeavesNoFeatureColumn()
    {
        using var dir = new TempDirectory();
        string csv = dir.WriteText("target-only.csv", "y\n0\n1\n");
        AssertRefused(dir, csv, $"{csv}: needs at least two columns (features and a target)", testSetEmpty: true, "--target", "y");
    }

    [Fact]
    public void PredictOnAHeaderOnlyCsv()
    {
        using var dir = new TempDirectory();
        string model = dir.File("model.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", Repository.File("examples/xor.csv"), "--layers", "2,1", "--loss", "bce", "--epochs", "1", "--save", model).Code);
        string csv = dir.WriteText("header-only.csv", "x1,x2,y\n");
        // A one-output model used to fail here with the runtime's "Input span arguments must not be empty".
        CliAssert.OneLineError(CliRunner.Run("predict", "--model", model, "--input", csv, "--target", "y"), $"{csv}: has no examples");
    }
}
