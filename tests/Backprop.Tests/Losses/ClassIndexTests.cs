using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.Training;

namespace Backprop.Tests.Losses;

/// <summary>One rule for class indices, and every place that reads them applies it.</summary>
public class ClassIndexTests
{
    [Theory]
    [InlineData(0, null, null)]
    [InlineData(16777216, null, null)]
    [InlineData(2, 3, null)]
    [InlineData(0.5, null, "is not a class index (a whole number from 0)")]
    [InlineData(-1, null, "is not a class index (a whole number from 0)")]
    [InlineData(double.NaN, null, "is not a class index (a whole number from 0)")]
    [InlineData(16777217, null, "is larger than 16777216, the largest class index float32 targets hold exactly")]
    [InlineData(3, 3, "is not a class in [0,3)")]
    [InlineData(1.5, 3, "is not a class in [0,3)")]
    [InlineData(-1, 3, "is not a class in [0,3)")]
    public void TheRule(double value, int? classes, string? problem) => Assert.Equal(problem, ClassIndex.Problem(value, classes));

    [Fact]
    public void EveryReaderOfClassIndicesAppliesIt()
    {
        using var dir = new TempDirectory();
        string csv = dir.WriteText("d.csv", "x,y\n1,0\n2,16777217\n");
        Assert.Equal($"{csv}: line 3, column 'y': target 16777217 is larger than 16777216, the largest class index float32 targets hold exactly",
            Assert.Throws<DataFileException>(() => CsvFile.Read(csv).ToDataset(classes: true)).Message);

        string images = dir.WriteIdx("i", [2, 1], [0, 0]);
        string labels = dir.WriteBytes("l", [0, 0, 0x09, 1, 0, 0, 0, 2, 0, 0xFF]); // signed bytes 0, −1
        Assert.Equal($"{labels}: label -1 at position 1 is not a class index (a whole number from 0)",
            Assert.Throws<DataFileException>(() => Dataset.FromIdx(images, labels)).Message);

        Assert.Equal("cross_entropy: target 3 at row 1 is not a class in [0,3)",
            Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(Tensor.Zeros([2, 3]), Tensor.FromArray([0f, 3f]))).Message);

        // One-hot targets (MSE on several outputs) were written past their row for a class the model does not have.
        var task = new ClassificationTask(ClassOutputs.Values);
        Assert.Equal("class targets: target 3 at row 0 is not a class in [0,3)",
            Assert.Throws<ArgumentException>(() => task.EncodeTargets(Tensor.FromArray([3f, 0f]), Tensor.Zeros([2, 3]))).Message);
    }
}
