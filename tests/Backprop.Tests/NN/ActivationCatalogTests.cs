using Backprop.NN;

namespace Backprop.Tests.NN;

/// <summary>
/// Each row of the activation catalog is one activation everywhere: its name parses back to it, the architecture text
/// builds an instance of its own class, that module applies the row's function, and the row's function is its op (each op
/// is gradient-checked in the table).
/// </summary>
public class ActivationCatalogTests
{
    public static TheoryData<string> Names() => [.. Activation.All.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void EachRowIsOneActivationEverywhere(string name)
    {
        var row = Activation.Parse(name);
        Assert.Same(row, Activation.Parse(name.ToUpperInvariant()));

        var parsed = Assert.Single(Architecture.Parse($"{row.ClassName}()").Build().NamedChildren().Select(c => c.Value));
        Assert.Equal(row.ClassName, parsed.GetType().Name);
        Assert.Same(row, Assert.IsAssignableFrom<ActivationModule>(parsed).Activation);
        Assert.Equal(parsed.GetType(), row.CreateModule().GetType());

        var x = Tensor.FromArray([-2.5, -0.5, 0.0, 0.75, 3.0]);
        Assert.Equal(row.Apply(x).ToDoubleArray(), parsed.Forward(x).ToDoubleArray());
        Assert.NotEqual(x.ToDoubleArray(), row == Activation.Identity ? [] : row.Apply(x).ToDoubleArray());
    }

    [Fact]
    public void EveryActivationHasARowAndAClass()
    {
        var classes = typeof(ActivationModule).Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(ActivationModule))).Select(t => t.Name);
        Assert.Equal(classes.Order(), Activation.All.Select(a => a.ClassName).Order());
    }

    [Fact]
    public void AnUnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Activation.Parse("swish"));
        Assert.Equal("activation: unknown 'swish' (expected one of identity, binary-step, sigmoid, tanh, relu, leaky-relu, elu, gelu, silu, softplus)", e.Message);
    }
}
