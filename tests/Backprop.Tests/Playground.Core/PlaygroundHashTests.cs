using Backprop.Data;
using Backprop.Playground.Core;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Tests.Playground.Core;

/// <summary>The settings in the URL: TensorFlow Playground's keys, read back into the same settings, bad values reported.</summary>
public class PlaygroundHashTests
{
    private static readonly PlaygroundSettings Defaults = new();

    [Fact]
    public void DefaultsUseTensorFlowPlaygroundsKeysAndValues()
    {
        var hash = PlaygroundHash.Format(Defaults);
        foreach (var pair in new[] { "activation=tanh", "batchSize=10", "dataset=circle", "learningRate=0.03", "regularization=none", "regularizationRate=0",
                     "noise=0", "networkShape=4%2C2", "seed=1", "percTrainData=50", "x=true", "y=true", "xSquared=false", "sinY=false", "problem=classification" })
            Assert.Contains(pair, hash.Split('&'));
    }

    [Fact]
    public void EverySettingReadsBack()
    {
        var settings = new PlaygroundSettings
        {
            Dataset = PlaneDataset.Spiral, Classes = 3, Loss = new CrossEntropyLoss(), Noise = 25, PercTrainData = 70, BatchSize = 3,
            LearningRate = 0.003, NetworkShape = [8, 1, 3], Activations = [Activation.ReLU, Activation.LeakyReLU, Activation.Identity],
            Features = [InputFeature.X1Squared, InputFeature.SinX2], Regularization = PenaltyKind.L1, RegularizationRate = 0.01,
            Seed = 12345678901, ShowTestData = true, Discretize = true, GradientView = true,
        };
        var back = PlaygroundHash.Parse("#" + PlaygroundHash.Format(settings), Defaults, out var problems);
        Assert.Empty(problems);
        Assert.Equal(PlaygroundHash.Format(settings), PlaygroundHash.Format(back));
        Assert.Equal([8, 1, 3], back.NetworkShape);
        Assert.Equal([Activation.ReLU, Activation.LeakyReLU, Activation.Identity], back.Activations);
        Assert.Equal([InputFeature.X1Squared, InputFeature.SinX2], back.Features);
        Assert.Equal((PlaneDataset?)PlaneDataset.Spiral, back.Dataset);
        Assert.Equal(3, back.Classes);
        Assert.Equal(PenaltyKind.L1, back.Regularization);
        Assert.Equal(12345678901UL, back.Seed);
        Assert.True(back.GradientView);
    }

    [Fact]
    public void OneActivationAppliesToEveryLayerAndLinearIsIdentity()
    {
        var settings = PlaygroundHash.Parse("activation=linear&networkShape=3,3,3", Defaults, out var problems);
        Assert.Empty(problems);
        Assert.Equal([Activation.Identity, Activation.Identity, Activation.Identity], settings.Activations);
        Assert.Contains("activation=linear", PlaygroundHash.Format(settings));
    }

    [Fact]
    public void ARegressionLinkOfTensorFlowPlaygroundTakesItsRegressionDataset()
    {
        var settings = PlaygroundHash.Parse("#problem=regression&dataset=circle&regDataset=reg-gauss", Defaults, out var problems);
        Assert.Empty(problems);
        Assert.Equal((PlaneDataset?)PlaneDataset.MultiGauss, settings.Dataset);
        Assert.Equal(PlaygroundProblem.Regression, settings.Problem);
    }

    [Fact]
    public void UnknownKeysAreIgnoredAndBadValuesReported()
    {
        var settings = PlaygroundHash.Parse("#collectStats=false&batchSize=ten&learningRate=0.1", Defaults, out var problems);
        Assert.Equal(0.1, settings.LearningRate);
        Assert.Equal(Defaults.BatchSize, settings.BatchSize);
        Assert.StartsWith("batchSize=ten ignored", Assert.Single(problems));
    }

    [Fact]
    public void SettingsThatDoNotFitTogetherKeepTheDefaults()
    {
        var settings = PlaygroundHash.Parse("#dataset=xor&classes=4&loss=cross-entropy", Defaults, out var problems);
        Assert.Equal(PlaygroundHash.Format(Defaults), PlaygroundHash.Format(settings));
        Assert.Equal("dataset xor has at most 2 classes: the defaults kept", Assert.Single(problems));
    }

    [Theory]
    [InlineData("networkShape=4,9", "networkShape needs 1 to 8 neurons a layer, got 4,9")]
    [InlineData("networkShape=1,1,1,1,1,1,1", "networkShape has 7 hidden layers, at most 6")]
    [InlineData("noise=60", "noise must be 0 to 50, got 60")]
    [InlineData("classes=3", "3 classes need the cross-entropy loss")]
    [InlineData("problem=regression&dataset=reg-plane&loss=cross-entropy", "regression learns with squared error only")]
    public void EachProblemIsNamed(string fragment, string problem)
    {
        PlaygroundHash.Parse(fragment, Defaults, out var problems);
        Assert.Equal($"{problem}: the defaults kept", Assert.Single(problems));
    }
}
