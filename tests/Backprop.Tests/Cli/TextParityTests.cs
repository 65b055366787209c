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
}
