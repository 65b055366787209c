using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// Examples for training or testing: features [N, …] in float32, each example keeping its own shape (an image [1, H, W],
/// a CSV row [F]), and targets [N] (or [N, …]) — a class index per example for classification (int64, as PyTorch keeps
/// them; whole numbers in a float tensor are taken too), values for regression (float32).
/// <see cref="ClassCount"/> is set for classification data.
/// </summary>
public sealed class Dataset
{
    /// <summary>Pairs features [N, …] with targets [N, …]; their counts of examples must agree.</summary>
    public Dataset(Tensor features, Tensor targets, int? classCount = null, string? source = null)
    {
        if (features.Rank < 2) throw new ArgumentException($"dataset: features must have shape [N, …] (the examples, then each example's axes), got {features.Shape}");
        if (targets.Rank < 1 || targets.Shape[0] != features.Shape[0])
        {
            throw new ArgumentException($"dataset{(source is null ? "" : $" {source}")}: {features.Shape[0]} examples but {(targets.Rank >= 1 ? targets.Shape[0] : targets.Count)} targets");
        }
        Features = features.To(DType.Float32);
        Targets = targets.DType == DType.Int64 ? targets : targets.To(DType.Float32); // class indices stay int64, as PyTorch's
        ClassCount = classCount;
        Source = source;
    }

    /// <summary>The inputs [N, …]: one example per index of the first axis.</summary>
    public Tensor Features { get; }

    /// <summary>The targets [N, …], one per example: int64 class indices, or float32 values.</summary>
    public Tensor Targets { get; }

    /// <summary>The number of classes for classification data, or null for regression.</summary>
    public int? ClassCount { get; }

    /// <summary>Where the data came from, for messages.</summary>
    public string? Source { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Features.Shape[0];

    /// <summary>The shape of one example, such as [1, 28, 28] for an MNIST image or [F] for a CSV row.</summary>
    public Shape ExampleShape => new(Features.Shape.ToArray().AsSpan(1));

    /// <summary>Number of values per example (the product of <see cref="ExampleShape"/>), as a flattened example has them.</summary>
    public int FeatureCount => ExampleShape.NumElements;

    /// <summary>
    /// The same examples flattened to rows, features [N, <see cref="FeatureCount"/>], for a network that starts with a linear
    /// layer (as <c>torch.flatten(x, 1)</c>); the values are shared, not copied. Data already in rows is returned as it is.
    /// </summary>
    public Dataset Flatten() => Features.Rank == 2 ? this : new Dataset(Features.Reshape(Count, FeatureCount), Targets, ClassCount, Source);

    /// <summary>
    /// Images and labels from two IDX files (MNIST's layout): the images as <see cref="IdxFile.ReadImages"/> gives them
    /// ([N, 1, H, W] for 2-D images, pixels / 255 in [0, 1]); labels must be class indices, one per image.
    /// </summary>
    public static Dataset FromIdx(string imagesPath, string labelsPath)
    {
        var images = IdxFile.ReadImages(imagesPath);
        var (labels, labelDims) = IdxFile.Read(labelsPath);
        if (labelDims.Length != 1) throw new DataFileException(labelsPath, $"labels must be one-dimensional, got dimensions {string.Join('x', labelDims)}");
        if (labelDims[0] != images.Shape[0])
        {
            throw new DataFileException(labelsPath, $"{labelDims[0]} labels for {images.Shape[0]} images in {imagesPath}");
        }
        int classes = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (ClassIndex.Problem(labels[i]) is { } problem) throw new DataFileException(labelsPath, $"label {labels[i]} at position {i} {problem}");
            classes = Math.Max(classes, (int)labels[i] + 1);
        }
        return new Dataset(images, Tensor.FromArray(Array.ConvertAll(labels, label => (long)label)), classes, imagesPath);
    }
}
