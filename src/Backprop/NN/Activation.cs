namespace Backprop.NN;

/// <summary>
/// An activation function, one row of the catalog every consumer reads: its name (the command line's and older model
/// files'), PyTorch's class name, its op, the parameters its <c>torch.nn</c> constructor takes, the module the
/// architecture text builds for it, and its ONNX nodes. Adding an activation is one row here, its op, and its class.
/// </summary>
public sealed partial class Activation
{
    private readonly Func<Tensor, Tensor> apply;
    private readonly Func<LayerArguments, ActivationModule> createModule;
    private readonly OnnxNodes exportOnnx;

    /// <summary>Adds the ONNX nodes computing this activation of <c>x</c> as configured in <c>module</c>; returns the output's name.</summary>
    internal delegate string OnnxNodes(IOnnxGraph graph, string x, string name, ActivationModule module);

    private Activation(string name, string className, Func<Tensor, Tensor> apply, LayerParameter[] parameters,
        Func<LayerArguments, ActivationModule> createModule, OnnxNodes exportOnnx)
    {
        Name = name;
        ClassName = className;
        this.apply = apply;
        Parameters = parameters;
        this.createModule = createModule;
        this.exportOnnx = exportOnnx;
    }

    /// <summary>The name on the command line and in model files of the MLP shorthand: lower case, words joined by hyphens (<c>leaky-relu</c>).</summary>
    public string Name { get; }

    /// <summary>PyTorch's class name, as the architecture text writes the layer: <c>LeakyReLU</c>.</summary>
    public string ClassName { get; }

    /// <summary>The constructor's parameters as <c>torch.nn</c> names them, with their defaults.</summary>
    internal LayerParameter[] Parameters { get; }

    /// <summary>f(z), with PyTorch's default parameters.</summary>
    public Tensor Apply(Tensor z) => apply(z);

    /// <summary>The layer with PyTorch's default parameters: <c>new ReLU()</c>, <c>new LeakyReLU()</c>, ….</summary>
    public ActivationModule CreateModule() => createModule(new LayerArguments(Parameters.ToDictionary(p => p.Name, p => p.Default!), $"{ClassName}()"));

    /// <summary>The layer the architecture text's arguments describe.</summary>
    internal ActivationModule CreateModule(LayerArguments arguments) => createModule(arguments);

    /// <summary>The module's ONNX nodes after <paramref name="x"/>, the last one named <paramref name="name"/>.</summary>
    internal string ExportOnnx(IOnnxGraph graph, string x, string name, ActivationModule module) => exportOnnx(graph, x, name, module);

    /// <summary>The class name.</summary>
    public override string ToString() => ClassName;

    /// <summary>Every activation, in a stable order.</summary>
    public static IReadOnlyList<Activation> All => Catalog;

    /// <summary>The activation called <paramref name="name"/> (its <see cref="Name"/>, any case), or an error listing the names.</summary>
    public static Activation Parse(string name) =>
        Catalog.FirstOrDefault(a => a.Name == name.ToLowerInvariant())
        ?? throw new ArgumentException($"activation: unknown '{name}' (expected one of {string.Join(", ", Catalog.Select(a => a.Name))})");
}
