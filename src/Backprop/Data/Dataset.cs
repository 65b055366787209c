using Backprop.Losses;

namespace Backprop.Data;

/// <summary>
/// Examples for training or testing: features [N, F] in float32 and one target per example [N] — a class index for
/// classification, a value for regression. <see cref="ClassCount"/> is set for classification data.
/// </summary>
public sealed class Dataset
{
    /// <summary>Pairs features with targets; their counts must agree.</summary>
    public Dataset(Tensor features, Tensor targets, int? classCount = null, string? source = null)
    {
        if (features.Rank != 2) throw new ArgumentException($"dataset: features must have shape [N,F], got {features.Shape}");
        if (targets.Rank != 1 || targets.Shape[0] != features.Shape[0])
        {
            throw new ArgumentException($"dataset{(source is null ? "" : $" {source}")}: {features.Shape[0]} examples but {(targets.Rank == 1 ? targets.Shape[0] : targets.Count)} targets");
        }
        Features = features.To(DType.Float32);
        Targets = targets.To(DType.Float32);
        ClassCount = classCount;
        Source = source;
    }

    /// <summary>The inputs, one row per example.</summary>
    public Tensor Features { get; }

    /// <summary>The targets, one per example.</summary>
    public Tensor Targets { get; }

    /// <summary>The number of classes for classification data, or null for regression.</summary>
    public int? ClassCount { get; }

    /// <summary>Where the data came from, for messages.</summary>
    public string? Source { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Features.Shape[0];

    /// <summary>Number of features per example.</summary>
    public int FeatureCount => Features.Shape[1];

    /// <summary>
    /// Images and labels from two IDX files (MNIST's layout): images [N, …] become rows of pixels / 255 in [0, 1];
    /// labels must be whole numbers from 0, and there must be one per image.
    /// </summary>
    public static Dataset FromIdx(string imagesPath, string labelsPath)
    {
        var (pixels, imageDims) = IdxFile.Read(imagesPath);
        var (labels, labelDims) = IdxFile.Read(labelsPath);
        if (labelDims.Length != 1) throw new DataFileException(labelsPath, $"labels must be one-dimensional, got dimensions {string.Join('x', labelDims)}");
        if (labelDims[0] != imageDims[0])
        {
            throw new DataFileException(labelsPath, $"{labelDims[0]} labels for {imageDims[0]} images in {imagesPath}");
        }
        int classes = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (ClassIndex.Problem(labels[i]) is { } problem) throw new DataFileException(labelsPath, $"label {labels[i]} at position {i} {problem}");
            classes = Math.Max(classes, (int)labels[i] + 1);
        }
        for (int i = 0; i < pixels.Length; i++) pixels[i] /= 255f;
        int count = imageDims[0];
        int features = count == 0 ? 0 : pixels.Length / count;
        return new Dataset(Tensor.FromArray(pixels, [count, features]), Tensor.FromArray(labels), classes, imagesPath);
    }
}
