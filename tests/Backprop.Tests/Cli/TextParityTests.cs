using Backprop.IO;
using Backprop.Training;

namespace Backprop.Tests.Cli;

/// <summary>
/// <c>backprop train --init … --no-shuffle --steps 10</c> on the PyTorch text-training fixtures
/// (tests/Backprop.Tests/Fixtures/PyTorch/text-training/README.md gives each run's settings, written by
/// scripts/make-pytorch-text-fixtures.py): every weight within 1e-5 of PyTorch's after the ten steps, through the command
/// line as a user runs it. The library replay (Training/TextTrainingParityTests) checks every step's loss too.
/// </summary>
public class TextParityTests
{
    private static string File(string name) => PyTorchFixture.File($"text-training/{name}");

    [Theory]
    [InlineData("gpt-adamw-cosine", "GPT(vocab_size=43, block_size=16, n_layer=2, n_head=2, n_embd=16, dropout=0.0, bias=True)",
        "--optimizer adamw --lr 0.003 --betas 0.9,0.99 --weight-decay 0.1 --weight-decay-on matrices --schedule cosine --warmup-steps 3 --min-lr 0.0003 --clip-grad-norm 1.0")]
    [InlineData("gpt-no-bias-adam-clip", "GPT(vocab_size=43, block_size=16, n_layer=2, n_head=2, n_embd=16, dropout=0.0, bias=False)",
        "--optimizer adam --lr 0.003 --betas 0.9,0.999 --clip-grad-norm 0.5")]
    [InlineData("lstm-adam", "Embedding(43, 12), LSTM(12, 24, num_layers=2, batch_first=True), Linear(24, 43)",
        "--block-size 16 --optimizer adam --lr 0.01 --betas 0.9,0.999")]
    [InlineData("gru-sgd-momentum-clip", "Embedding(43, 12), GRU(12, 24, batch_first=True), Linear(24, 43)",
        "--block-size 16 --optimizer momentum --lr 0.5 --momentum 0.9 --clip-grad-norm 0.5")]
    public void TenStepsThroughTheCommandLineMatchPyTorch(string run, string arch, string options)
    {
        using var dir = new TempDirectory();
        string saved = dir.File("m.safetensors");
        var (code, _, error) = CliRunner.Run(["train", "--arch", arch, "--init", File($"{run}-init.safetensors"), "--data", File("text.txt"), "--no-shuffle",
            "--steps", "10", "--batch-size", "4", "--save", saved, .. options.Split(' ')]);
        Assert.Equal((0, ""), (code, error));

        var (model, _) = ModelFile.Load(saved);
        var trained = model.StateDict();
        var expected = Safetensors.Load(File($"{run}-final.safetensors")).Tensors;
        Assert.Equal(expected.Keys.Order(), trained.Keys.Order());
        foreach (var (key, value) in expected)
        {
            double difference = value.ToDoubleArray().Zip(trained[key].ToDoubleArray(), (a, b) => Math.Abs(a - b)).Max();
            Assert.True(difference <= 1e-5, $"{run}: {key} differs from PyTorch's by {difference:E2}");
        }
    }

    private static readonly System.Text.Json.JsonElement Trained = PyTorchFixture.Load("text-training/text-training.json").GetProperty("trained");

    [Fact]
    public void EvalOfAPyTorchTrainedGPTWithoutMetadataGivesPyTorchsValidationLoss()
    {
        var (code, output, error) = CliRunner.Run("eval", "--model", File("gpt-trained.safetensors"), "--arch", Trained.GetProperty("architecture").GetString()!, "--data", File("text.txt"));
        Assert.Equal((0, ""), (code, error));
        var match = System.Text.RegularExpressions.Regex.Match(output, @"^val loss (\d\.\d{4}) \((\d\.\d{4}) bits per character\) over 112 predictions");
        Assert.True(match.Success, output);
        double loss = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Trained.GetProperty("val_loss").GetDouble(), loss, 1e-4); // printed to 4 decimals: within half of the last one
        Assert.Equal(loss / Math.Log(2), double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 1e-3);
    }

    [Fact]
    public void ATextModelAndImagesAreRefusedEitherWay()
    {
        using var dir = new TempDirectory();
        CliAssert.OneLineError(CliRunner.Run("eval", "--model", File("gpt-trained.safetensors"), "--data", File("text.txt")),
            $"{File("gpt-trained.safetensors")}: records no architecture; give --arch and the corpus its vocabulary comes from");
        string model = dir.File("m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", File("text.txt"), "--arch", Trained.GetProperty("architecture").GetString()!, "--steps", "1", "--save", model).Code);
        string images = dir.WriteIdx("t10k-images-idx3-ubyte", [2, 2, 2], new byte[8]);
        dir.WriteIdx("t10k-labels-idx1-ubyte", [2], [0, 1]);
        CliAssert.OneLineError(CliRunner.Run("eval", "--model", model, "--data", dir.Path),
            $"{model}: is a text model (GPT(43, 16, 2, 2, 32, bias=False)); this command reads models of images or tables (text models: eval and generate with a text file)");
        string mlp = dir.File("mlp.safetensors");
        ModelFile.Save(mlp, ModelDescription.Mlp([4, 2], Backprop.NN.Activation.ReLU, new Backprop.Losses.CrossEntropyLoss()).Build(new Generator(1)),
            ModelDescription.Mlp([4, 2], Backprop.NN.Activation.ReLU, new Backprop.Losses.CrossEntropyLoss()));
        CliAssert.OneLineError(CliRunner.Run("eval", "--model", mlp, "--data", File("text.txt")),
            $"{mlp}: is a model of images or tables (Linear(4, 2)); text needs a text model (train one with --data FILE.txt)");
    }

    [Fact]
    public void GreedyGenerationFromAPyTorchTrainedGPTIsPyTorchsContinuation()
    {
        string prompt = Trained.GetProperty("prompt").GetString()!;
        var (code, output, error) = CliRunner.Run("generate", "--model", File("gpt-trained.safetensors"), "--arch", Trained.GetProperty("architecture").GetString()!,
            "--data", File("text.txt"), "--prompt", prompt, "--tokens", "40", "--top-k", "1");
        Assert.Equal(0, code);
        Assert.Equal(prompt + Trained.GetProperty("greedy_text").GetString() + Environment.NewLine, output);
        Assert.Matches(@"^40 tokens in \d+\.\d\d s \([\d,]+ tokens/s\)\s*$", error); // the speed on standard error, the text alone on standard output
    }
}
