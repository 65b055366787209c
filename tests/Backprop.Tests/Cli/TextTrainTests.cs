using System.Text;
using Backprop.Training;

namespace Backprop.Tests.Cli;

/// <summary>train on a text file: a language model end to end, and the one-line refusals of bad text input.</summary>
public class TextTrainTests
{
    private const string Gpt = "GPT(vocab_size=12, block_size=8, n_layer=1, n_head=2, n_embd=8)";

    private static string Corpus(TempDirectory dir, string text = "")
    {
        string path = dir.File("corpus.txt");
        File.WriteAllText(path, text.Length > 0 ? text : string.Concat(Enumerable.Repeat("to be or not to be, that is the question\n", 10)));
        return path;
    }

    [Fact]
    public void TrainsAGPTPrintingNanoGPTsLinesAndSavesTheVocabulary()
    {
        using var dir = new TempDirectory();
        string corpus = Corpus(dir);
        var (code, output, error) = CliRunner.Run("train", "--data", corpus, "--arch", Gpt.Replace("12", "15"), "--optimizer", "adamw", "--betas", "0.9,0.99",
            "--weight-decay-on", "matrices", "--clip-grad-norm", "1", "--schedule", "cosine", "--warmup-steps", "2", "--steps", "6", "--batch-size", "4",
            "--eval-interval", "3", "--eval-iters", "2", "--save", dir.File("m.safetensors"), "--log", dir.File("log.csv"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("char vocabulary of 15, windows of 8, batches of 4", output);
        Assert.Matches(@"step 0: train loss \d\.\d{4}, val loss \d\.\d{4}", output);
        Assert.Matches(@"step 6: train loss \d\.\d{4}, val loss \d\.\d{4}", output);
        Assert.Contains("tokens/s", output);
        Assert.Matches(@"final val loss \d\.\d{4} over the whole validation split \(\d+ predictions\)", output);
        var (_, description) = ModelFile.Load(dir.File("m.safetensors"));
        Assert.Equal("\n ,abehinoqrstu", string.Concat(((Backprop.Data.CharTokenizer)description.Tokenizer!).Vocabulary.Order(StringComparer.Ordinal)));
        Assert.Equal(["step,train_loss,val_loss"], File.ReadLines(dir.File("log.csv")).Take(1));
        Assert.Equal(4, File.ReadLines(dir.File("log.csv")).Count()); // steps 0, 3, 6
    }

    [Fact]
    public void ARecurrentNetworkTakesItsWindowFromBlockSize()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("train", "--data", Corpus(dir), "--arch", "Embedding(15, 8), GRU(8, 12, batch_first=True), Linear(12, 15)",
            "--block-size", "6", "--optimizer", "adam", "--steps", "3", "--batch-size", "2", "--save", dir.File("m.safetensors"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("windows of 6", output);
        Assert.Equal(6, ModelFile.Load(dir.File("m.safetensors")).Description.BlockSize);
    }

    [Fact]
    public void BadTextInputIsOneLine()
    {
        using var dir = new TempDirectory();
        string corpus = Corpus(dir);
        string save = dir.File("m.safetensors");
        string[] Train(params string[] more) => ["train", "--data", corpus, "--save", save, .. more];

        string binary = dir.File("binary.txt");
        File.WriteAllBytes(binary, [.. Encoding.UTF8.GetBytes("abc"), 0xFF, 0x41]);
        CliAssert.OneLineError(CliRunner.Run("train", "--data", binary, "--arch", Gpt, "--steps", "1", "--save", save),
            $"{binary}: is not valid UTF-8: byte 0xFF at byte offset 3 does not start a well-formed character");
        File.WriteAllText(dir.File("short.txt"), "abcdefghij");
        CliAssert.OneLineError(CliRunner.Run("train", "--data", dir.File("short.txt"), "--arch", Gpt.Replace("12", "10"), "--steps", "1", "--save", save),
            $"{dir.File("short.txt")}: has 10 tokens; windows of 8 tokens need at least 81 (9 in each of the training (90 %) and validation (10 %) splits)");
        CliAssert.OneLineError(CliRunner.Run(Train("--arch", Gpt)), "--steps: a text run has no epochs; give the number of optimizer steps, such as --steps 2000");
        CliAssert.OneLineError(CliRunner.Run(Train("--arch", Gpt, "--steps", "2")),
            "architecture: GPT(12, 8, 1, 2, 8) gives 12 logits per position, fewer than the 15 tokens of the vocabulary");
        CliAssert.OneLineError(CliRunner.Run(Train("--arch", "GPT(15, 8, 1, 3, 8)", "--steps", "2")), "architecture: GPT(15, 8, 1, 3, 8): n_embd 8 must be divisible by n_head 3");
        CliAssert.OneLineError(CliRunner.Run(Train("--arch", "GPT(15, 8, 1, 2, 8)", "--block-size", "9", "--steps", "2")),
            "architecture: GPT(15, 8, 1, 2, 8) gets sequences of 9 tokens from the input [9]: its block_size is 8");
        CliAssert.OneLineError(CliRunner.Run(Train("--arch", "Embedding(15, 4), Linear(4, 15)", "--steps", "2")),
            "--block-size: give the window of tokens Embedding(15, 4), Linear(4, 15) reads, such as --block-size 64");
        CliAssert.OneLineError(CliRunner.Run(Train("--arch", "GPT(15, 8, 1, 2, 8)", "--steps", "2", "--betas", "0.9")), "--betas must be two numbers in [0, 1) such as 0.9,0.99, got '0.9'");
        CliAssert.OneLineError(CliRunner.Run(Train("--arch", "GPT(15, 8, 1, 2, 8)", "--steps", "2", "--warmup-steps", "3")), "--warmup-steps applies to --schedule cosine");
        Assert.False(File.Exists(save));
    }

    [Theory]
    [InlineData("GPT(15, 8, 1, 2, 8)", "input 'input' int64 [batch, sequence ≤ 8], output 'output' [batch, sequence, 15] (logits)")]
    [InlineData("Embedding(15, 8), LSTM(8, 12, batch_first=True), Linear(12, 15)", "input 'input' int64 [batch, sequence ≤ 8], output 'output' [batch, sequence, 15] (logits)")]
    public void ATrainedTextModelExportsToOnnx(string arch, string shapes)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("train", "--data", Corpus(dir), "--arch", arch, "--block-size", "8", "--steps", "1", "--batch-size", "2", "--save", dir.File("m.safetensors")).Code);
        var (code, output, error) = CliRunner.Run("export", "--model", dir.File("m.safetensors"), "--onnx", dir.File("m.onnx"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains(shapes, output);
        Assert.True(new FileInfo(dir.File("m.onnx")).Length > 1000);
    }
}
