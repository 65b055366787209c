namespace Backprop.NN;

// The catalog: one row per activation. Rows and the list stay in this one file, because C# leaves the order of static
// initialisers in different parts of a partial class unspecified.
public sealed partial class Activation
{
    private static readonly LayerParameter Inplace = new("inplace", ArgumentValue.Bool(false));

    /// <summary>a = z (no activation), as <c>nn.Identity</c>.</summary>
    public static readonly Activation Identity = Fixed("identity", "Identity", z => z.Identity(), [], () => new Identity(), Op("Identity"));

    /// <summary>1 for z ≥ 0, else 0; passes no gradient. The article's step function; torch.nn has none.</summary>
    public static readonly Activation BinaryStep = Fixed("binary-step", "BinaryStep", z => z.BinaryStep(), [], () => new BinaryStep(), (g, x, name, _) =>
        g.Node("Cast", [g.Node("GreaterOrEqual", [x, g.Constant($"{name}_zero", 0)], $"{name}_compare")], name, ("to", IOnnxGraph.FloatType)));

    /// <summary>1 / (1 + e^(−z)), as <c>nn.Sigmoid</c>.</summary>
    public static readonly Activation Sigmoid = Fixed("sigmoid", "Sigmoid", z => z.Sigmoid(), [], () => new Sigmoid(), Op("Sigmoid"));

    /// <summary>tanh(z), as <c>nn.Tanh</c>.</summary>
    public static readonly Activation Tanh = Fixed("tanh", "Tanh", z => z.Tanh(), [], () => new Tanh(), Op("Tanh"));

    /// <summary>max(z, 0), as <c>nn.ReLU</c>.</summary>
    public static readonly Activation ReLU = Fixed("relu", "ReLU", z => z.Relu(), [Inplace], () => new ReLU(), Op("Relu"));

    /// <summary>z, or negative_slope·z below 0 (0.01 by default), as <c>nn.LeakyReLU</c>.</summary>
    public static readonly Activation LeakyReLU = new("leaky-relu", "LeakyReLU", z => z.LeakyRelu(),
        [new("negative_slope", ArgumentValue.Float(0.01)), Inplace], a => new LeakyReLU(a.Float("negative_slope")),
        (g, x, name, m) => g.Node("LeakyRelu", [x], name, ("alpha", (float)((LeakyReLU)m).NegativeSlope)));

    /// <summary>z, or α(eᶻ − 1) below 0 (α = 1 by default), as <c>nn.ELU</c>.</summary>
    public static readonly Activation ELU = new("elu", "ELU", z => z.Elu(),
        [new("alpha", ArgumentValue.Float(1.0)), Inplace], a => new ELU(a.Float("alpha")),
        (g, x, name, m) => g.Node("Elu", [x], name, ("alpha", (float)((ELU)m).Alpha)));

    /// <summary>
    /// z·Φ(z), as <c>nn.GELU</c>, or with <c>approximate='tanh'</c> z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))/2; exported
    /// from ops opset 17 has (Gelu itself came in opset 20).
    /// </summary>
    public static readonly Activation GELU = new("gelu", "GELU", z => z.Gelu(), [new("approximate", ArgumentValue.String("none"))],
        a => new GELU(a.Choice("approximate", NN.GELU.Approximations)), GeluOnnx);

    /// <summary>z·σ(z), as <c>nn.SiLU</c>; exported as x·σ(x).</summary>
    public static readonly Activation SiLU = Fixed("silu", "SiLU", z => z.Silu(), [Inplace], () => new SiLU(), (g, x, name, _) =>
        g.Node("Mul", [x, g.Node("Sigmoid", [x], $"{name}_sigmoid")], name));

    /// <summary>ln(1 + eᶻ), as <c>nn.Softplus</c> with its default beta and threshold.</summary>
    public static readonly Activation Softplus = Fixed("softplus", "Softplus", z => z.Softplus(),
        [new("beta", ArgumentValue.Float(1.0)), new("threshold", ArgumentValue.Float(20.0))], () => new Softplus(), Op("Softplus"));

    private static readonly Activation[] Catalog = [Identity, BinaryStep, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU, SiLU, Softplus];

    /// <summary>
    /// A row whose function takes no parameter: its constructor's other parameters besides <c>inplace</c> (which changes
    /// nothing here) must keep PyTorch's defaults, the only values the function implements.
    /// </summary>
    private static Activation Fixed(string name, string className, Func<Tensor, Tensor> apply, LayerParameter[] parameters,
        Func<ActivationModule> create, OnnxNodes exportOnnx) =>
        new(name, className, apply, parameters, arguments =>
        {
            foreach (var p in parameters.Where(p => p != Inplace)) arguments.RequireSupported(p.Name, p.Default!);
            return create();
        }, exportOnnx);

    /// <summary>x·(1 + erf(x/√2))/2, or x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2 for the tanh form.</summary>
    private static string GeluOnnx(IOnnxGraph g, string x, string name, ActivationModule module)
    {
        string curve;
        if (((GELU)module).Approximate == "tanh")
        {
            var cube = g.Node("Mul", [g.Node("Mul", [x, x], $"{name}_square"), x], $"{name}_cube");
            var cubic = g.Node("Mul", [cube, g.Constant($"{name}_cubic", (float)Kernels.ActivationKernels.GeluTanhCubic)], $"{name}_cubic_term");
            var inner = g.Node("Mul", [g.Node("Add", [x, cubic], $"{name}_sum"), g.Constant($"{name}_scale", (float)Kernels.ActivationKernels.GeluTanhScale)], $"{name}_inner");
            curve = g.Node("Tanh", [inner], $"{name}_tanh");
        }
        else curve = g.Node("Erf", [g.Node("Div", [x, g.Constant($"{name}_sqrt2", MathF.Sqrt(2))], $"{name}_scaled")], $"{name}_erf");
        var plusOne = g.Node("Add", [curve, g.Constant($"{name}_one", 1)], $"{name}_plus_one");
        return g.Node("Mul", [g.Node("Mul", [x, plusOne], $"{name}_product"), g.Constant($"{name}_half", 0.5f)], name);
    }

    /// <summary>One ONNX op of the same function.</summary>
    private static OnnxNodes Op(string op) => (g, x, name, _) => g.Node(op, [x], name);
}
