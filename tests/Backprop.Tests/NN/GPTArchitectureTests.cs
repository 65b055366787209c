using Backprop.IO;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.NN;

/// <summary>GPT as a layer of the architecture text: built unwrapped, its shape rule, its tied head in files.</summary>
public class GPTArchitectureTests
{
    [Fact]
    public void AGPTAloneIsTheModelItselfWithNanoGPTsKeys()
    {
        var architecture = Architecture.Parse("GPT(vocab_size=65, block_size=64, n_layer=4, n_head=4, n_embd=128, dropout=0.0, bias=False)");
        Assert.Equal("GPT(65, 64, 4, 4, 128, bias=False)", architecture.ToString());
        var model = Assert.IsType<GPT>(architecture.Build(new Generator(1)));
        Assert.Equal(64, model.BlockSize);
        var keys = model.StateDict().Keys.ToList();
        Assert.Equal("transformer.wte.weight", keys[0]);
        Assert.Equal("lm_head.weight", keys[^1]);
        Assert.Contains("transformer.h.3.mlp.c_proj.weight", keys);
        Assert.Equal([64, 65], architecture.OutputShape([64]));
    }

    [Theory]
    [InlineData("GPT(65, 64, 2, 3, 128)", new[] { 64 }, "architecture: GPT(65, 64, 2, 3, 128): n_embd 128 must be divisible by n_head 3")]
    [InlineData("GPT(65, 64, 2, 4, 128)", new[] { 65 }, "architecture: GPT(65, 64, 2, 4, 128) gets sequences of 65 tokens from the input [65]: its block_size is 64")]
    [InlineData("GPT(65, 64, 2, 4, 128)", new[] { 1, 64 }, "architecture: GPT(65, 64, 2, 4, 128) gets examples of shape [1, 64] from the input [1, 64]: it reads sequences of token indices [T]")]
    public void BadSizesAreRefusedNamingThem(string text, int[] input, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Architecture.Parse(text).OutputShape(input)).Message);

    [Fact]
    public void AFileWithEitherTiedKeyLoadsAndOneWithBothDifferentIsRefused()
    {
        using var dir = new TempDirectory();
        var description = new ModelDescription(Architecture.Parse("GPT(5, 4, 1, 1, 4)"), 4, new Backprop.Data.CharTokenizer(["a", "b", "c", "d", "e"]));
        var trained = description.Build(new Generator(2));
        var state = trained.StateDict();

        foreach (var dropped in new[] { "lm_head.weight", "transformer.wte.weight" })
        {
            string path = dir.File($"without-{dropped}.safetensors");
            Safetensors.Save(path, state.Where(p => p.Key != dropped), new Dictionary<string, string>());
            var loaded = ModelFile.LoadWeights(path, description, new Generator(9));
            Assert.Equal(state["transformer.wte.weight"].ToFloatArray(), loaded.StateDict()["lm_head.weight"].ToFloatArray());
        }

        var different = new OrderedDictionary<string, Tensor>(state) { ["lm_head.weight"] = state["lm_head.weight"] + 1 };
        string both = dir.File("different.safetensors");
        Safetensors.Save(both, different, new Dictionary<string, string>());
        var error = Assert.Throws<ArgumentException>(() => ModelFile.LoadWeights(both, description, new Generator(9)));
        Assert.Equal("load_state_dict: 'lm_head.weight' differs from 'transformer.wte.weight', which it is tied to (one tensor under both names)", error.Message);
    }

    [Fact]
    public void ATextModelFileRecordsItsVocabularyAndReadsBackWithoutACorpus()
    {
        using var dir = new TempDirectory();
        var tokenizer = new Backprop.Data.CharTokenizer(["\n", " ", "a", "b"]);
        var description = new ModelDescription(Architecture.Parse("Embedding(4, 3), LSTM(3, 5, batch_first=True), Linear(5, 4)"), 8, tokenizer);
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, description.Build(new Generator(1)), description);
        var (model, read) = ModelFile.Load(path);
        Assert.IsType<Sequential>(model);
        Assert.Equal(tokenizer.Vocabulary, ((Backprop.Data.CharTokenizer)read.Tokenizer!).Vocabulary);
        Assert.Equal(8, read.BlockSize);
        Assert.IsType<NextTokenTask>(read.CreateTask());
    }

    [Fact]
    public void AVocabularyLargerThanTheModelsLogitsIsRefusedNamingBoth()
    {
        var tokenizer = new Backprop.Data.CharTokenizer(["a", "b", "c"]);
        var error = Assert.Throws<ArgumentException>(() => new ModelDescription(Architecture.Parse("GPT(2, 4, 1, 1, 4)"), 4, tokenizer));
        Assert.Equal("architecture: GPT(2, 4, 1, 1, 4) gives 2 logits per position, fewer than the 3 tokens of the vocabulary", error.Message);
    }
}
