using Backprop.Data;
using Backprop.Playground.Core;

namespace Backprop.Tests.Playground.Core;

/// <summary>The data sets' names in the page's URL.</summary>
public class DatasetKeysTests
{
    [Fact]
    public void UrlKeysAreThePlaygroundsAndParseBack()
    {
        Assert.Equal(["circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss"], Enum.GetValues<PlaneDataset>().Select(d => d.UrlKey()));
        Assert.Equal(Enum.GetValues<PlaneDataset>().Select(d => d.UrlKey()), DatasetKeys.All);
        Assert.All(Enum.GetValues<PlaneDataset>(), d => Assert.Equal(d, DatasetKeys.Parse(d.UrlKey())));

        var error = Assert.Throws<ArgumentException>(() => DatasetKeys.Parse("spirals"));
        Assert.Equal("plane data: unknown data set key 'spirals' (expected one of circle, xor, gauss, spiral, reg-plane, reg-gauss)", error.Message);
    }
}
