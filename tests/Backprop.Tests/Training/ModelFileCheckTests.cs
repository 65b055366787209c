using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>
/// Nothing is allocated on a file's word: a model file, an <c>--init</c> file or a checkpoint whose architecture needs
/// other tensors than the file holds is refused, naming the first that differs, before the network is built or the
/// tensors are read.
/// </summary>
public class ModelFileCheckTests
{
    /// <summary>676 million parameters (2.7 GB), as a file's 16 bytes of tensors might declare.</summary>
    internal const string Huge = "Conv2d(1, 100000, 3), Flatten(), Linear(67600000, 10)";

    /// <summary>Far below what building <see cref="Huge"/> takes, far above what reading a small file's header does.</summary>
    internal const long FewMegabytes = 4 << 20;

    /// <summary>A model file holding one 2×2 float tensor (16 bytes) with <paramref name="metadata"/> (none when null).</summary>
    /// <summary>The metadata files written before the architecture text recorded: the MLP shorthand's sizes and activation.</summary>
    private static Dictionary<string, string> OlderMlpMetadata(string layers) =>
        new() { ["format"] = "pt", ["backprop.layers"] = layers, ["backprop.activation"] = "relu", ["backprop.loss"] = "cross-entropy" };

    internal static string WriteSmallFile(TempDirectory dir, Dictionary<string, string>? metadata)
    {
        string path = dir.File("declared.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["0.weight"] = Tensor.Zeros([2, 2]) }, metadata);
        return path;
    }

    private static ModelDescription HugeDescription => new(Architecture.Parse(Huge), [1, 28, 28], new CrossEntropyLoss());

    /// <summary>Runs <paramref name="load"/>, which must refuse the file, and returns its message and the bytes this thread allocated meanwhile.</summary>
    internal static (string Message, long Allocated) Refusal(Action load)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFileException>(load);
        return (error.Message, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AModelFileDeclaringMoreThanItHoldsIsRefusedBeforeTheModelIsBuilt()
    {
        using var dir = new TempDirectory();
        string path = WriteSmallFile(dir, HugeDescription.ToMetadata());
        var (message, allocated) = Refusal(() => ModelFile.Load(path));
        Assert.Equal($"{path}: 0.weight has shape [2, 2] in the file, Conv2d(1, 100000, 3) needs [100000, 1, 3, 3]", message);
        Assert.True(allocated < FewMegabytes, $"{allocated} bytes allocated to refuse a {new FileInfo(path).Length}-byte file");
    }

    [Fact]
    public void TheMlpShorthandsMetadataIsCheckedTheSameWay()
    {
        using var dir = new TempDirectory();
        string path = WriteSmallFile(dir, OlderMlpMetadata("2,10000000,10"));
        var (message, allocated) = Refusal(() => ModelFile.Load(path));
        Assert.Equal($"{path}: 0.weight has shape [2, 2] in the file, Linear(2, 10000000) needs [10000000, 2]", message);
        Assert.True(allocated < FewMegabytes, $"{allocated} bytes allocated");

        // A declared tensor too large to exist is the metadata's fault, said so.
        string impossible = WriteSmallFile(dir, OlderMlpMetadata("1000000,1000000,10"));
        Assert.Equal($"{impossible}: its metadata does not describe a network: architecture: Linear(1000000, 1000000): its weight of shape [1000000, 1000000] holds more values than one tensor can",
            Assert.Throws<DataFileException>(() => ModelFile.Load(impossible)).Message);
    }

    [Fact]
    public void AnArchitectureGivenForAStateDictIsCheckedBeforeItIsBuilt()
    {
        using var dir = new TempDirectory();
        string path = WriteSmallFile(dir, null);
        var described = HugeDescription; // made before measuring: what the caller gives is not the file's doing
        var (message, allocated) = Refusal(() => ModelFile.Load(path, () => described));
        Assert.Equal($"{path}: 0.weight has shape [2, 2] in the file, Conv2d(1, 100000, 3) needs [100000, 1, 3, 3]", message);
        Assert.True(allocated < FewMegabytes, $"{allocated} bytes allocated");
    }

    [Fact]
    public void InitialWeightsAreCheckedBeforeTheNetworkIsBuilt()
    {
        using var dir = new TempDirectory();
        string path = WriteSmallFile(dir, null);
        var described = HugeDescription;
        var generator = new Generator(1);
        var (message, allocated) = Refusal(() => ModelFile.LoadWeights(path, described, generator));
        Assert.Equal($"{path}: 0.weight has shape [2, 2] in the file, Conv2d(1, 100000, 3) needs [100000, 1, 3, 3]", message);
        Assert.True(allocated < FewMegabytes, $"{allocated} bytes allocated");
        Assert.Equal(new Generator(1).NextDouble(), generator.NextDouble()); // refused before the build drew anything

        // Weights that fit are drawn over from the same stream as a plain build's, so the run continues as without them.
        var small = new ModelDescription(Architecture.Parse("Linear(2, 2)"), [2], new CrossEntropyLoss());
        var (fromFile, built) = (new Generator(5), new Generator(5));
        string fits = dir.File("fits.safetensors");
        Safetensors.Save(fits, new Dictionary<string, Tensor> { ["0.weight"] = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } }), ["0.bias"] = Tensor.Zeros([2]) });
        var model = ModelFile.LoadWeights(fits, small, fromFile);
        small.Build(built);
        Assert.Equal([1f, 2, 3, 4], model.StateDict()["0.weight"].ToFloatArray());
        Assert.Equal(built.NextDouble(), fromFile.NextDouble());
    }

    [Theory]
    [InlineData("Linear(2, 2, bias=False), ReLU(), Linear(2, 3)", "has no tensor 2.weight, which Linear(2, 3) needs (shape [3, 2])")]
    [InlineData("Linear(2, 2, bias=False)", "0.bias is in the file, but the model has no such parameter or buffer")]
    public void MissingAndExtraTensorsAreNamed(string architecture, string problem)
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["0.weight"] = Tensor.Zeros([2, 2]), ["0.bias"] = Tensor.Zeros([2]) });
        var description = new ModelDescription(Architecture.Parse(architecture), [2], new CrossEntropyLoss());
        Assert.Equal($"{path}: {problem}", Assert.Throws<DataFileException>(() => ModelFile.Load(path, () => description)).Message);
    }

    [Fact]
    public void WeightsForABuiltModuleAreCheckedAgainstItsStateDict()
    {
        using var dir = new TempDirectory();
        string path = WriteSmallFile(dir, null);
        var model = new Sequential(new Linear(3, 2));
        Assert.Equal($"{path}: 0.weight has shape [2, 2] in the file, the model needs [2, 3]", Assert.Throws<DataFileException>(() => ModelFile.LoadWeights(path, model)).Message);
    }

    [Fact]
    public void ACheckpointsModelTensorsAreCheckedBeforeAnyIsRead()
    {
        using var dir = new TempDirectory();
        var configuration = new Dictionary<string, string> { ["--arch"] = "Linear(1000, 1000)" };
        var written = new Sequential(new Linear(1000, 1000, generator: new Generator(1)));
        new Checkpoint(1, 10, new Generator(2).GetState(), configuration).Save(dir.Path, written, new Sgd(written.Parameters(), 0.1));

        var model = new Sequential(new Linear(1000, 999, generator: new Generator(1)));
        var optimizer = new Sgd(model.Parameters(), 0.1);
        string path = Checkpoint.PathIn(dir.Path);
        var (message, allocated) = Refusal(() => Checkpoint.Resume(dir.Path, configuration, model, optimizer));
        Assert.Equal($"{path}: model.0.weight has shape [1000, 1000] in the file, the model needs [999, 1000]", message);
        // The file holds 4 MB of weights; refusing it read none of them.
        Assert.True(allocated < new FileInfo(path).Length / 4, $"{allocated} bytes allocated to refuse a {new FileInfo(path).Length}-byte checkpoint");
    }
}
