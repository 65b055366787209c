using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Tests.Training;
using Backprop.Training;

namespace Backprop.Tests.Cli;

/// <summary>
/// The commands refuse a model file (or --init weights) whose architecture needs far more than the file holds in one
/// line, before building the network: the whole command allocates a few megabytes, not the gigabytes declared.
/// </summary>
public class DeclaredModelTests
{
    /// <summary>2.4 GB of parameters for the tiny data's 2×2 images.</summary>
    private const string Huge = "Flatten(), Linear(4, 100000000), ReLU(), Linear(100000000, 2)";

    /// <summary>The command's result and the bytes this thread allocated while it ran.</summary>
    private static ((int Code, string Output, string Error) Result, long Allocated) Run(params string[] args)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = CliRunner.Run(args);
        return (result, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A state dict of Flatten(), Linear(4, 2): 40 bytes of tensors.</summary>
    private static string SmallStateDict(TempDirectory dir)
    {
        string path = dir.File("small.safetensors");
        Safetensors.Save(path, Architecture.Parse("Flatten(), Linear(4, 2)").Build(new Generator(1)).StateDict());
        return path;
    }

    [Fact]
    public void EvalRefusesAModelFileDeclaringMoreThanItHolds()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string model = ModelFileCheckTests.WriteSmallFile(dir, new ModelDescription(Architecture.Parse(ModelFileCheckTests.Huge), [1, 28, 28], new CrossEntropyLoss()).ToMetadata());
        var (result, allocated) = Run("eval", "--model", model, "--data", data);
        CliAssert.OneLineError(result, $"{model}: 0.weight has shape [2, 2] in the file, Conv2d(1, 100000, 3) needs [100000, 1, 3, 3]");
        Assert.True(allocated < ModelFileCheckTests.FewMegabytes, $"{allocated} bytes allocated");
    }

    [Fact]
    public void EvalRefusesAStateDictThatIsNotTheArchGiven()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string model = SmallStateDict(dir);
        var (result, allocated) = Run("eval", "--model", model, "--arch", Huge, "--data", data);
        CliAssert.OneLineError(result, $"{model}: 1.weight has shape [2, 4] in the file, Linear(4, 100000000) needs [100000000, 4]");
        Assert.True(allocated < ModelFileCheckTests.FewMegabytes, $"{allocated} bytes allocated");
    }

    [Fact]
    public void TrainRefusesInitialWeightsThatAreNotTheArchGiven()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteTinyMnist();
        string init = SmallStateDict(dir);
        var (result, allocated) = Run("train", "--data", data, "--arch", Huge, "--init", init, "--save", dir.File("trained.safetensors"));
        CliAssert.OneLineError(result, $"{init}: 1.weight has shape [2, 4] in the file, Linear(4, 100000000) needs [100000000, 4]");
        Assert.True(allocated < ModelFileCheckTests.FewMegabytes, $"{allocated} bytes allocated");
        Assert.False(File.Exists(dir.File("trained.safetensors")));
    }
}
