using Backprop.Data;

namespace Backprop.Tests.Data;

public class PlaneDataTests
{
    private static readonly PlaneDataset[] Classification = [PlaneDataset.Circle, PlaneDataset.Xor, PlaneDataset.Gauss, PlaneDataset.Spiral];

    public static TheoryData<PlaneDataset> AllDatasets => new(Enum.GetValues<PlaneDataset>());

    private static PlanePoint[] Generate(PlaneDataset dataset, int count, double noise = 0, int classes = 2, ulong seed = 1) =>
        [.. PlaneData.Generate(dataset, count, noise, new Generator(seed), classes)];

    private static double Radius(PlanePoint p) => Math.Sqrt((double)p.X1 * p.X1 + (double)p.X2 * p.X2);

    private static PlanePoint[] OfClass(PlanePoint[] points, int cls) => points.Where(p => p.Label == cls).ToArray();

    [Theory]
    [MemberData(nameof(AllDatasets))]
    public void EveryPointLiesInTheSquareWithAValidLabelEvenAtFullNoise(PlaneDataset dataset)
    {
        foreach (double noise in new[] { 0.0, PlaneData.MaxNoise })
        {
            int classes = dataset.MaxClassCount();
            var points = Generate(dataset, 1000, noise, classes);
            Assert.Equal(1000, points.Length);
            Assert.All(points, p => Assert.True(Math.Abs(p.X1) <= 6 && Math.Abs(p.X2) <= 6, $"{p} at noise {noise}"));
            if (dataset.IsRegression())
            {
                // Plane: |x1 + x2| < 12 for the point and 6 more for each jitter (6 · 0.5 per coordinate), over 10.
                double bound = dataset == PlaneDataset.Plane ? 1.2 * (1 + noise / 100) : 1;
                Assert.All(points, p => Assert.InRange(p.Label, -bound, bound));
            }
            else
            {
                Assert.All(points, p => Assert.Contains(p.Label, Enumerable.Range(0, classes).Select(c => (float)c)));
            }
        }
    }

    [Theory]
    [InlineData(PlaneDataset.Circle, 2, 0, 7, new[] { 4, 3 })]
    [InlineData(PlaneDataset.Xor, 2, 0, 7, new[] { 4, 3 })]
    [InlineData(PlaneDataset.Gauss, 5, 50, 23, new[] { 5, 5, 5, 4, 4 })]
    [InlineData(PlaneDataset.Spiral, 3, 50, 10, new[] { 4, 3, 3 })]
    [InlineData(PlaneDataset.Spiral, 4, 0, 2, new[] { 1, 1, 0, 0 })]
    public void ClassesAreBalancedWithTheRemainderToTheFirstClasses(PlaneDataset dataset, int classes, double noise, int count, int[] expected)
    {
        var points = Generate(dataset, count, noise, classes);
        Assert.Equal(expected, Enumerable.Range(0, classes).Select(c => OfClass(points, c).Length));
    }

    [Fact]
    public void PointsComeInRandomOrderNotClassByClass()
    {
        foreach (var dataset in Classification)
        {
            var labels = Generate(dataset, 200).Select(p => p.Label).ToArray();
            Assert.NotEqual(labels.Order(), labels);
        }
    }

    [Fact]
    public void CircleWithoutNoiseHasClass0InTheDiscAndClass1InTheRing()
    {
        // TF Playground: disc radius 2.5, ring from 3.5 to 5 (0.5 and 0.7 of radius 5).
        var points = Generate(PlaneDataset.Circle, 2000);
        var disc = OfClass(points, 0).Select(Radius).ToArray();
        var ring = OfClass(points, 1).Select(Radius).ToArray();
        Assert.All(disc, r => Assert.InRange(r, 0, 2.5));
        Assert.All(ring, r => Assert.InRange(r, 3.5 - 1e-5, 5 + 1e-5));
        // and they fill those bands rather than a thinner part of them
        Assert.True(disc.Min() < 0.1 && disc.Max() > 2.4 && ring.Min() < 3.6 && ring.Max() > 4.9, "bands not filled");
        Assert.All(new[] { 0, 1 }, c => Assert.Equal(4, OfClass(points, c).Select(p => (p.X1 > 0, p.X2 > 0)).Distinct().Count()));
    }

    [Fact]
    public void CircleNoiseFlipsLabelsButDoesNotMovePoints()
    {
        var points = Generate(PlaneDataset.Circle, 2000, noise: 50);
        Assert.All(points, p => Assert.True(Radius(p) < 2.5 || Radius(p) > 3.5 - 1e-5, $"{p} between disc and ring"));
        int flipped = points.Count(p => p.Label != (Radius(p) < 2.5 ? 0 : 1));
        Assert.InRange(flipped, 100, 1000);
    }

    [Fact]
    public void XorLabelIsTheQuadrantRuleAndPointsKeepClearOfTheAxes()
    {
        var points = Generate(PlaneDataset.Xor, 2000);
        Assert.All(points, p => Assert.Equal(p.X1 * p.X2 >= 0 ? 0 : 1, p.Label));
        // coordinates from [−5, 5] pushed 0.3 away from the axes
        Assert.All(points, p => Assert.True(Math.Abs(p.X1) is >= 0.3f and <= 5.3f && Math.Abs(p.X2) is >= 0.3f and <= 5.3f, $"{p}"));
        Assert.Equal(4, points.Select(p => (p.X1 > 0, p.X2 > 0)).Distinct().Count());
        Assert.True(points.Min(p => Math.Abs(p.X1)) < 0.4 && points.Max(p => Math.Abs(p.X1)) > 5.2, "coordinates not spread over 0.3 … 5.3");

        var noisy = Generate(PlaneDataset.Xor, 2000, noise: 50);
        Assert.InRange(noisy.Count(p => p.Label != (p.X1 * p.X2 >= 0 ? 0 : 1)), 100, 1000);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void GaussBlobsCentreEvenlyOnACircleThroughTwoTwo(int classes)
    {
        const int perClass = 2000;
        var points = Generate(PlaneDataset.Gauss, perClass * classes, classes: classes);
        double standardError = Math.Sqrt(0.5 / perClass); // variance 0.5 at no noise
        for (int c = 0; c < classes; c++)
        {
            // blob c at angle 45° + 360°·c/k on the circle of radius 2√2 through (2, 2)
            double angle = Math.PI / 4 + 2 * Math.PI * c / classes;
            var blob = OfClass(points, c);
            Assert.Equal(2 * Math.Sqrt(2) * Math.Cos(angle), blob.Average(p => p.X1), 4 * standardError);
            Assert.Equal(2 * Math.Sqrt(2) * Math.Sin(angle), blob.Average(p => p.X2), 4 * standardError);
        }
    }

    [Fact]
    public void TwoGaussBlobsSitWhereThePlaygroundPutsThemWithTheVarianceGrowingWithNoise()
    {
        foreach (var (noise, variance) in new[] { (0.0, 0.5), (20.0, 0.5 + 7 * 0.2) })
        {
            var points = Generate(PlaneDataset.Gauss, 8000, noise);
            foreach (var (cls, centre) in new[] { (0, 2.0), (1, -2.0) })
            {
                var blob = OfClass(points, cls);
                double mean = blob.Average(p => p.X1);
                Assert.Equal(centre, mean, 4 * Math.Sqrt(variance / blob.Length));
                Assert.Equal(centre, blob.Average(p => p.X2), 4 * Math.Sqrt(variance / blob.Length));
                // a sample variance's standard error is variance·√(2/n), about 0.03·variance here
                Assert.Equal(variance, blob.Average(p => (p.X1 - mean) * (p.X1 - mean)), 0.15 * variance);
            }
        }
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 0)]
    [InlineData(5, 1)]
    public void SpiralArmsFollowTheirTurnedCurveWithEvenlySpacedRadii(int classes, int extra)
    {
        int count = 100 * classes + extra;
        var points = Generate(PlaneDataset.Spiral, count, classes: classes);
        for (int c = 0; c < classes; c++)
        {
            var arm = OfClass(points, c);
            // The angle (from the x2 axis towards x1) turns 1.75 times while the radius grows to 5, plus 360°·c/k.
            foreach (var p in arm)
            {
                double r = Radius(p), t = 1.75 * 2 * Math.PI * r / 5 + 2 * Math.PI * c / classes;
                Assert.Equal(r * Math.Sin(t), p.X1, 1e-4);
                Assert.Equal(r * Math.Cos(t), p.X2, 1e-4);
            }
            // point i of n is at radius 5·i/n
            var radii = arm.Select(Radius).Order().ToArray();
            Assert.All(radii.Select((r, i) => (r, i)), x => Assert.Equal(5.0 * x.i / arm.Length, x.r, 1e-5));
        }
    }

    [Fact]
    public void SpiralNoiseMovesPointsAtMostHalfAUnitPerCoordinate()
    {
        var points = Generate(PlaneDataset.Spiral, 1000, noise: 50);
        Assert.All(points, p => Assert.True(Radius(p) <= 5 + 0.5 * Math.Sqrt(2), $"{p}"));
        Assert.Contains(points, p => Radius(p) > 5);
    }

    [Fact]
    public void PlaneLabelIsTheSumOverTenUnclamped()
    {
        var points = Generate(PlaneDataset.Plane, 2000);
        Assert.All(points, p => Assert.Equal((p.X1 + p.X2) / 10.0, p.Label, 1e-6));
        Assert.True(points.Min(p => p.Label) < -1.1 && points.Max(p => p.Label) > 1.1, "labels should reach past ±1 in the corners, as TF's");

        // Noise 50 jitters the labelling position by up to 3 per coordinate: the label moves by up to 0.6.
        var noisy = Generate(PlaneDataset.Plane, 2000, noise: 50);
        var shifts = noisy.Select(p => Math.Abs(p.Label - (p.X1 + p.X2) / 10.0)).ToArray();
        Assert.True(shifts.Max() <= 0.6 + 1e-6 && shifts.Max() > 0.4, $"largest shift {shifts.Max()}");
    }

    [Fact]
    public void MultiGaussLabelFallsFromTheNearestBumpsSignToZeroAtDistanceTwo()
    {
        // TF Playground's six bumps: (x, y, sign); they are at least 4 apart, so the one of largest |value| is the nearest.
        (double X, double Y, double Sign)[] bumps = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)];
        var points = Generate(PlaneDataset.MultiGauss, 3000);
        foreach (var p in points)
        {
            var nearest = bumps.MinBy(b => Math.Sqrt((p.X1 - b.X) * (p.X1 - b.X) + (p.X2 - b.Y) * (p.X2 - b.Y)));
            double distance = Math.Sqrt((p.X1 - nearest.X) * (p.X1 - nearest.X) + (p.X2 - nearest.Y) * (p.X2 - nearest.Y));
            Assert.Equal(nearest.Sign * Math.Max(0, 1 - distance / 2), p.Label, 1e-5);
        }
        Assert.True(points.Min(p => p.Label) < -0.9 && points.Max(p => p.Label) > 0.9 && points.Any(p => p.Label == 0), "range not covered");
    }

    [Theory]
    [MemberData(nameof(AllDatasets))]
    public void SameSeedGivesTheSamePointsAndAnotherSeedOthers(PlaneDataset dataset)
    {
        int classes = dataset.MaxClassCount();
        Assert.Equal(Generate(dataset, 300, 25, classes, seed: 5), Generate(dataset, 300, 25, classes, seed: 5));
        Assert.NotEqual(Generate(dataset, 300, 25, classes, seed: 5), Generate(dataset, 300, 25, classes, seed: 6));
    }

    [Theory]
    [InlineData(PlaneDataset.Circle, 0, 0, 2, "Circle data: count must be at least 1, got 0")]
    [InlineData(PlaneDataset.Spiral, -3, 0, 2, "Spiral data: count must be at least 1, got -3")]
    [InlineData(PlaneDataset.Xor, 10, -1, 2, "Xor data: noise must be a percentage from 0 to 50, got -1")]
    [InlineData(PlaneDataset.Plane, 10, 50.5, 2, "Plane data: noise must be a percentage from 0 to 50, got 50.5")]
    [InlineData(PlaneDataset.Gauss, 10, double.NaN, 2, "Gauss data: noise must be a percentage from 0 to 50, got NaN")]
    [InlineData(PlaneDataset.Circle, 10, 0, 3, "Circle data: classes must be 2, got 3")]
    [InlineData(PlaneDataset.Xor, 10, 0, 1, "Xor data: classes must be 2, got 1")]
    [InlineData(PlaneDataset.Plane, 10, 0, 3, "Plane data: classes must be 2, got 3")]
    [InlineData(PlaneDataset.MultiGauss, 10, 0, 5, "MultiGauss data: classes must be 2, got 5")]
    [InlineData(PlaneDataset.Spiral, 10, 0, 6, "Spiral data: classes must be from 2 to 5, got 6")]
    [InlineData(PlaneDataset.Gauss, 10, 0, 1, "Gauss data: classes must be from 2 to 5, got 1")]
    [InlineData((PlaneDataset)42, 10, 0, 2, "plane data: 42 is not a known data set")]
    public void BadArgumentsAreRejectedNamingTheArgumentAndTheDataSet(PlaneDataset dataset, int count, double noise, int classes, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => PlaneData.Generate(dataset, count, noise, new Generator(1), classes));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void TheRegressionSetsAndTheClassCountsAreThePlaygrounds()
    {
        Assert.Equal([PlaneDataset.Plane, PlaneDataset.MultiGauss], Enum.GetValues<PlaneDataset>().Where(d => d.IsRegression()));
        Assert.Equal([2, 2, 5, 5, 2, 2], Enum.GetValues<PlaneDataset>().Select(d => d.MaxClassCount()));
    }
}
