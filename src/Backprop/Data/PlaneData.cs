using System.Diagnostics;

namespace Backprop.Data;

/// <summary>
/// Generates TensorFlow Playground's two-dimensional data sets (its <c>src/dataset.ts</c>, re-derived): the same shapes,
/// constants and noise, drawn from Backprop's own <see cref="Generator"/> so that a seed fixes the points.
/// </summary>
/// <remarks>
/// Class indices: index 0 is the Playground's positive class (drawn blue there), index 1 its negative class (orange).
/// So for <see cref="PlaneDataset.Circle"/> class 0 is the inner disc and class 1 the outer ring; for
/// <see cref="PlaneDataset.Xor"/> class 0 is the quadrants where x1·x2 ≥ 0; for <see cref="PlaneDataset.Gauss"/>
/// class c is the blob at angle 45° + 360°·c/k; for <see cref="PlaneDataset.Spiral"/> class c is the arm turned by 360°·c/k.
/// </remarks>
public static class PlaneData
{
    /// <summary>Every generated point lies in the square [−<see cref="Extent"/>, <see cref="Extent"/>]², the area the Playground draws.</summary>
    public const float Extent = 6;

    /// <summary>The largest <c>noise</c> accepted, in percent: the end of the Playground's noise slider.</summary>
    public const double MaxNoise = 50;

    /// <summary>
    /// <paramref name="count"/> points of <paramref name="dataset"/> in random order (any prefix is a fair sample, as the
    /// Playground takes its training points from the front of a shuffled list).
    /// </summary>
    /// <param name="dataset">Which data set.</param>
    /// <param name="count">How many points, at least 1. Classes get <c>count / classes</c> points each, the remainder going one each to the first classes.</param>
    /// <param name="noise">
    /// The Playground's noise slider, in percent from 0 to <see cref="MaxNoise"/>. It moves the points of Gauss and Spiral;
    /// for Circle, Xor and the regression sets it jitters the position only where the label is computed, so labels near
    /// a boundary flip (then Circle's and Xor's classes are no longer exactly balanced).
    /// </param>
    /// <param name="generator">The source of randomness: the same seed gives the same points.</param>
    /// <param name="classes">The number of classes: 2 to <see cref="PlaneDatasets.MaxClassCount"/> (5 for Spiral and Gauss, 2 for the others).</param>
    /// <exception cref="ArgumentException">An argument is out of range; the message names it and the data set.</exception>
    public static IReadOnlyList<PlanePoint> Generate(PlaneDataset dataset, int count, double noise, Generator generator, int classes = 2)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!Enum.IsDefined(dataset)) throw new ArgumentException($"plane data: {dataset} is not a known data set");
        string name = $"{dataset} data";
        if (count < 1) throw new ArgumentException($"{name}: count must be at least 1, got {count}");
        if (!(noise is >= 0 and <= MaxNoise)) throw new ArgumentException($"{name}: noise must be a percentage from 0 to {MaxNoise}, got {noise}");
        int maxClasses = dataset.MaxClassCount();
        if (classes < 2 || classes > maxClasses)
        {
            string allowed = maxClasses == 2 ? "2" : $"from 2 to {maxClasses}";
            throw new ArgumentException($"{name}: classes must be {allowed}, got {classes}");
        }

        // The Playground hands its generators the slider's value as a fraction (noise / 100).
        var draw = new Draw(generator, noise / 100);
        var points = new PlanePoint[count];
        int next = 0;
        for (int c = 0; c < classes; c++)
        {
            int size = count / classes + (c < count % classes ? 1 : 0);
            for (int i = 0; i < size; i++)
            {
                points[next++] = dataset switch
                {
                    PlaneDataset.Circle => draw.Circle(c),
                    PlaneDataset.Xor => draw.Xor(c),
                    PlaneDataset.Gauss => draw.Gauss(c, classes),
                    PlaneDataset.Spiral => draw.Spiral(c, classes, (double)i / size),
                    PlaneDataset.Plane => draw.Plane(),
                    PlaneDataset.MultiGauss => draw.MultiGauss(),
                    _ => throw new UnreachableException($"{name}: no recipe"), // unnamed values were rejected above
                };
            }
        }
        generator.Shuffle<PlanePoint>(points);
        return points;
    }

    /// <summary>One point at a time, each data set's recipe; holds the generator and the noise fraction they share.</summary>
    private readonly struct Draw(Generator generator, double noise)
    {
        // Circle: the disc has radius 2.5 and the ring runs from 3.5 to 5 (the Playground's 0.5 and 0.7 of radius 5).
        private const double CircleRadius = 5, InnerRadius = 0.5 * CircleRadius, RingStart = 0.7 * CircleRadius;
        // Xor: coordinates from [−5, 5], then pushed 0.3 away from the axes so no point sits on a boundary.
        private const double XorHalfWidth = 5, XorPadding = 0.3;
        // Spiral: the radius grows to 5 while the angle turns 1.75 times round.
        private const double SpiralRadius = 5, SpiralTurns = 1.75;
        // Gauss: for two classes the blobs sit at (2, 2) and (−2, −2), on a circle of radius 2√2 at 45° and 225°.
        private static readonly double BlobRadius = 2 * Math.Sqrt(2);
        private const double BlobStartAngle = Math.PI / 4;
        // MultiGauss: the Playground's six bumps (x, y, sign), each falling linearly from ±1 at its centre to 0 at distance 2.
        private static readonly (double X, double Y, double Sign)[] Bumps =
            [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)];
        private const double BumpRadius = 2;
        // Plane: the Playground maps x1 + x2 from [−10, 10] onto [−1, 1] without clamping, so corners reach ±1.2.
        private const double PlaneScale = 10;

        public PlanePoint Circle(int cls)
        {
            double r = cls == 0 ? Uniform(0, InnerRadius) : Uniform(RingStart, CircleRadius);
            double angle = Uniform(0, 2 * Math.PI);
            double x = r * Math.Sin(angle), y = r * Math.Cos(angle);
            var (jx, jy) = Jitter(CircleRadius);
            bool inside = Math.Sqrt((x + jx) * (x + jx) + (y + jy) * (y + jy)) < InnerRadius;
            return Point(x, y, inside ? 0 : 1);
        }

        public PlanePoint Xor(int cls)
        {
            double x = PaddedUniform(), y = PaddedUniform();
            // The Playground draws the whole square and lets the quadrants fall as they may; mirroring y into the
            // class's own quadrants keeps that distribution within each class and makes the classes exactly balanced.
            if ((x * y > 0) != (cls == 0)) y = -y;
            var (jx, jy) = Jitter(XorHalfWidth);
            return Point(x, y, (x + jx) * (y + jy) >= 0 ? 0 : 1);
        }

        public PlanePoint Gauss(int cls, int classes)
        {
            // The variance grows linearly from 0.5 at no noise to 4 at the slider's end (fraction 0.5).
            double sd = Math.Sqrt(0.5 + 7 * noise);
            double angle = BlobStartAngle + 2 * Math.PI * cls / classes;
            return Point(NormalInSquare(BlobRadius * Math.Cos(angle), sd), NormalInSquare(BlobRadius * Math.Sin(angle), sd), cls);
        }

        public PlanePoint Spiral(int cls, int classes, double progress)
        {
            double r = SpiralRadius * progress;
            double t = SpiralTurns * 2 * Math.PI * progress + 2 * Math.PI * cls / classes;
            return Point(r * Math.Sin(t) + Uniform(-1, 1) * noise, r * Math.Cos(t) + Uniform(-1, 1) * noise, cls);
        }

        public PlanePoint Plane()
        {
            double x = Uniform(-Extent, Extent), y = Uniform(-Extent, Extent);
            var (jx, jy) = Jitter(Extent);
            return Point(x, y, (x + jx + y + jy) / PlaneScale);
        }

        public PlanePoint MultiGauss()
        {
            double x = Uniform(-Extent, Extent), y = Uniform(-Extent, Extent);
            var (jx, jy) = Jitter(Extent);
            double label = 0;
            foreach (var bump in Bumps)
            {
                double distance = Math.Sqrt((x + jx - bump.X) * (x + jx - bump.X) + (y + jy - bump.Y) * (y + jy - bump.Y));
                double value = bump.Sign * Math.Clamp(1 - distance / BumpRadius, 0, 1);
                if (Math.Abs(value) > Math.Abs(label)) label = value;
            }
            return Point(x, y, label);
        }

        private double Uniform(double low, double high) => low + (high - low) * generator.NextDouble();

        /// <summary>An offset for the labelling position: each coordinate uniform in ±<paramref name="halfWidth"/>, scaled by the noise.</summary>
        private (double X, double Y) Jitter(double halfWidth) =>
            (Uniform(-halfWidth, halfWidth) * noise, Uniform(-halfWidth, halfWidth) * noise);

        private double PaddedUniform()
        {
            double v = Uniform(-XorHalfWidth, XorHalfWidth);
            return v + (v > 0 ? XorPadding : -XorPadding);
        }

        /// <summary>
        /// A normal sample, drawn again while it falls outside the square: the Playground lets such points fall off its
        /// plot (a few percent of coordinates at full noise); here every point stays visible.
        /// </summary>
        private double NormalInSquare(double mean, double sd)
        {
            while (true)
            {
                double v = mean + sd * generator.NextNormal();
                if (Math.Abs(v) <= Extent) return v;
            }
        }

        private static PlanePoint Point(double x, double y, double label) => new((float)x, (float)y, (float)label);
    }
}
