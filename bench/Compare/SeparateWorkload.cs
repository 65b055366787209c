using Backprop;
using Backprop.Cli;
using Backprop.Data;
using Backprop.NN;

namespace Compare;

/// <summary>What a separate-process workload measures.</summary>
internal enum Figure
{
    /// <summary>Training steps: samples/s.</summary>
    Training,

    /// <summary>Forward passes of one example: µs per call (lower is better).</summary>
    Inference,

    /// <summary>One layer's calls on one batch: GFLOP/s of its products.</summary>
    Layer,

    /// <summary>A float32 matrix product alone, on the same inputs on both sides: GFLOP/s.</summary>
    Gemm,

    /// <summary>A whole training run of some epochs, then the test accuracy: wall seconds (lower is better).</summary>
    WholeRun,

    /// <summary>The machine's float32 FMA peak (Backprop's process only; the yardstick for the layer and product figures).</summary>
    FmaPeak,
}

/// <summary>
/// One workload of the separate-process comparison (bench/run-separate-compare.sh): its name on the command line, its group
/// (what the script's WORKLOADS selects by), the row title of the table, what it measures, how to make it from the data
/// folder and a batch count, the products one call of a layer does, the relative tolerance of each check within which both
/// sides count as having computed the same thing, the target against libtorch, and a whole run's default epoch count.
/// </summary>
internal sealed record SeparateWorkload(
    string Name, string Group, string Title, Figure Figure, Func<string, int, Workload>? Create = null, bool Backward = false, double FlopsPerCall = 0,
    IReadOnlyDictionary<string, double>? Tolerances = null, Target? Target = null, int Epochs = 0)
{
    /// <summary>The groups, in the order of the tables.</summary>
    public static readonly string[] Groups = ["conv", "mlp", "whole"];

    /// <summary>The two-convolution Fashion-MNIST network of docs/accuracy.md (its test accuracy after 15 epochs there).</summary>
    public const string FashionConv = "Conv2d(1, 32, 3, padding=1), ReLU(), MaxPool2d(2), Conv2d(32, 64, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), " +
                                      "Linear(3136, 24), ReLU(), Linear(24, 10)";

    /// <summary>Its second convolution, the one measured alone: 32 → 64 channels, 3×3, padding 1, on 14×14 at batch 64.</summary>
    public const string SecondConv = "Conv2d(32, 64, 3, padding=1)";

    /// <summary>The matrix product measured alone: size × size by size × size.</summary>
    public const int GemmSize = 1024;

    private const int ConvBatch = 64, ConvSize = 14, ConvIn = 32, ConvOut = 64, ConvKernel = 3;

    /// <summary>2·N·C_out·H·W·C_in·k²: the forward's multiply-adds (the bias and the padding's zeros not counted).</summary>
    private const double ConvForwardFlops = 2.0 * ConvBatch * ConvOut * ConvSize * ConvSize * ConvIn * ConvKernel * ConvKernel;

    // Measured (smoke runs, 2 threads): after 20-25 steps both sides agree to ~1e-7 in every check; a wrong optimizer setting
    // shows at 1e-3 there (libtorch's Adam given β₂ 0.99 instead of 0.999 on purpose: 1.4e-3 in the mean loss, 3.6e-3 in the
    // distance moved, after 25 steps). Rounding differences compound as training goes on: over 320 steps of LeNet-5 (SGD,
    // momentum 0.9) they reached 2e-3 in the mean loss and 2.6e-3 in the distance moved (and 3.5 % in the last step's loss
    // after 110), so the end-of-run checks are a coarse guard against a run that went wrong, not a proof of sameness.
    private static readonly Dictionary<string, double> TrainingTolerances = new()
    {
        ["loss, step 1"] = 1e-5, [WholeRunRecorder.EarlyLoss] = 1e-4, [WholeRunRecorder.EarlyMoved] = 1e-4, ["mean loss, all steps"] = 5e-2, ["moved, end"] = 5e-2,
    };
    private static readonly Dictionary<string, double> PassTolerances = new() { ["Σ|output|"] = 1e-5, ["Σ|y|"] = 1e-5, ["Σ|dW|"] = 1e-5, ["Σ|dx|"] = 1e-5 };
    private static readonly Dictionary<string, double> ProductTolerances = new() { ["Σ|C|"] = 1e-5 };

    // A whole run: the first step and the first 20 agree as closely as the step workloads' early checks above (the same shuffled batches:
    // 0 to 1e-7 in the 1-epoch smoke runs); the step counts exactly. Over thousands of steps the two runs follow different
    // rounding to different, equally good weights, so the end checks are coarse guards against a run that went wrong: after
    // one epoch of LeNet-5 (938 steps, SGD momentum 0.9) the distance moved was 1.5e-2 apart and the test accuracy 4.8e-3
    // (97.80 % and 98.27 %); the Fashion net's 8.7e-4 and 2.3e-4. Not yet seen over 10 or 15 epochs, hence 1e-1 for the
    // distance; 1e-2 for the accuracy is about one point at 90-99 %.
    private static readonly Dictionary<string, double> WholeRunTolerances = new()
    {
        ["loss, step 1"] = 1e-5, [WholeRunRecorder.EarlyLoss] = 1e-4, [WholeRunRecorder.EarlyMoved] = 1e-4, ["steps"] = 0, ["moved, end"] = 1e-1,
        ["test accuracy"] = 1e-2,
    };

    public static readonly SeparateWorkload[] All =
    [
        new("lenet5", "conv", "LeNet-5 (`--arch lenet5`), MNIST, batch 64, SGD lr 0.05 momentum 0.9 (samples/s)", Figure.Training,
            LeNet5, Tolerances: TrainingTolerances, Target: new(2.0)),
        new("fashion-conv", "conv", "Conv(1→32)/Conv(32→64) net, Fashion-MNIST, batch 64, Adam lr 0.001 (samples/s)", Figure.Training,
            FashionNet, Tolerances: TrainingTolerances, Target: new(1.3)),
        new("lenet5-inference", "conv", "LeNet-5 single-image inference (µs, lower is better)", Figure.Inference,
            (data, _) => LeNet5(data, 1), Tolerances: PassTolerances, Target: new(3.0)),
        new("conv-forward", "conv", "Conv2d(32, 64, 3, padding=1) on [64, 32, 14, 14], forward without a graph (GFLOP/s)", Figure.Layer,
            (_, _) => Layer(), FlopsPerCall: ConvForwardFlops, Tolerances: PassTolerances, Target: new(1.0, 0.7)),
        new("conv-forward-backward", "conv", "Conv2d(32, 64, 3, padding=1) on [64, 32, 14, 14], forward + backward (GFLOP/s)", Figure.Layer,
            (_, _) => Layer(), Backward: true, FlopsPerCall: 3 * ConvForwardFlops, Tolerances: PassTolerances, Target: new(PeakShare: 0.6)),
        Mlp("mlp-128-b64", MlpConfiguration.Batch64, 1.5),
        Mlp("mlp-128-b256", MlpConfiguration.Batch256, 1.2),
        Mlp("mlp-512-512-b128", MlpConfiguration.Wide, 1.2),
        new("gemm-1024", "mlp", $"GEMM {GemmSize}×{GemmSize}×{GemmSize} float32 (GFLOP/s)", Figure.Gemm, FlopsPerCall: 2.0 * GemmSize * GemmSize * GemmSize,
            Tolerances: ProductTolerances, Target: new(1.0)),
        new("mlp-inference", "mlp", "MLP 784-128-10 single-sample inference (µs, lower is better)", Figure.Inference,
            (data, _) => MnistRows(MlpConfiguration.Inference, data, 1), Tolerances: PassTolerances),
        // The whole runs shuffle the whole training set each epoch: no batches cut in file order.
        new("lenet5-run", "whole", "LeNet-5 (`--arch lenet5`), MNIST, {0} epochs shuffled, batch 64, SGD lr 0.05 momentum 0.9, then test accuracy (s, lower is better)",
            Figure.WholeRun, (data, _) => LeNet5(data, 0), Tolerances: WholeRunTolerances, Epochs: 10),
        new("fashion-conv-run", "whole", "Conv(1→32)/Conv(32→64) net, Fashion-MNIST, {0} epochs shuffled, batch 64, Adam lr 0.001, then test accuracy (s, lower is better)",
            Figure.WholeRun, (data, _) => FashionNet(data, 0), Tolerances: WholeRunTolerances, Epochs: 15),
        new("fma-peak", "", "FMA peak, float32 (GFLOP/s)", Figure.FmaPeak),
    ];

    /// <summary>The workload called <paramref name="name"/>, or an error listing them.</summary>
    public static SeparateWorkload Find(string name) =>
        All.FirstOrDefault(w => w.Name == name) ?? throw new ArgumentException($"workload '{name}': known are {string.Join(", ", All.Select(w => w.Name))}");

    /// <summary>
    /// The workloads of the given groups and names ("all": every group), in the order of the tables; fma-peak first when a
    /// layer or product figure needs it as a yardstick.
    /// </summary>
    public static List<SeparateWorkload> Select(IEnumerable<string> groupsOrNames)
    {
        var wanted = groupsOrNames.SelectMany(g => g == "all" ? Groups : [g]).ToHashSet();
        if (wanted.FirstOrDefault(g => !Groups.Contains(g) && All.All(w => w.Name != g)) is { } unknown)
        {
            throw new ArgumentException($"'{unknown}' is neither a group ({string.Join(", ", Groups)}, all) nor a workload ({string.Join(", ", All.Select(w => w.Name))})");
        }
        var chosen = All.Where(w => w.Figure != Figure.FmaPeak && (wanted.Contains(w.Group) || wanted.Contains(w.Name))).ToList();
        return chosen.Any(w => w.UsesPeak) ? [Find("fma-peak"), .. chosen] : chosen;
    }

    /// <summary>The unit of the figure.</summary>
    public string Unit => Figure switch { Figure.Training => "samples/s", Figure.Inference => "µs", Figure.WholeRun => "s", _ => "GFLOP/s" };

    /// <summary>Whether a smaller figure is better (time), so that the ratio is libtorch's over Backprop's.</summary>
    public bool LowerIsBetter => Figure is Figure.Inference or Figure.WholeRun;

    /// <summary>Whether the figure is set against the FMA peak.</summary>
    public bool UsesPeak => Figure is Figure.Layer or Figure.Gemm;

    /// <summary>The product's two inputs, uniform [0, 1) from seeds 1 and 2, made by Backprop and copied into libtorch.</summary>
    public static (float[] A, float[] B) GemmInputs() =>
        (Tensor.Rand([GemmSize, GemmSize], new Generator(1)).ToFloatArray(), Tensor.Rand([GemmSize, GemmSize], new Generator(2)).ToFloatArray());

    private static SeparateWorkload Mlp(string name, MlpConfiguration mlp, double target) =>
        new(name, "mlp", $"{mlp.Title}, SGD lr {MlpConfiguration.LearningRate} (samples/s)", Figure.Training, (data, batches) => MnistRows(mlp, data, batches),
            Tolerances: TrainingTolerances, Target: new(target));

    private static Workload MnistRows(MlpConfiguration mlp, string data, int batches)
    {
        var (train, test) = Mnist(data, "mnist");
        return mlp.Create(train, test, batches);
    }

    private static Workload LeNet5(string data, int batches) => Images("lenet5", ArchText.LeNet5, OptimizerChoice.Sgd(0.05, 0.9), Mnist(data, "mnist"), batches);

    private static Workload FashionNet(string data, int batches) => Images("fashion-conv", FashionConv, OptimizerChoice.Adam(0.001), Mnist(data, "fashion-mnist"), batches);

    private static (Dataset Train, Dataset Test) Mnist(string data, string name)
    {
        string folder = Path.Combine(data, name);
        string File(string stem) => new[] { "", ".gz" }.Select(ext => Path.Combine(folder, stem + ext)).FirstOrDefault(System.IO.File.Exists)
            ?? throw new FileNotFoundException($"{Path.Combine(folder, stem)}[.gz] not found: run scripts/get-data.sh {name}");
        return (Dataset.FromIdx(File("train-images-idx3-ubyte"), File("train-labels-idx1-ubyte")),
                Dataset.FromIdx(File("t10k-images-idx3-ubyte"), File("t10k-labels-idx1-ubyte")));
    }

    private static Workload Images(string name, string architecture, OptimizerChoice optimizer, (Dataset Train, Dataset Test) data, int batches) =>
        Workload.Create(name, Architecture.Parse(architecture), 64, optimizer, data.Train, data.Test, seed: 1, maxBatches: batches);

    /// <summary>The second convolution alone, its weights from seed 1 and one batch of uniform [0, 1) inputs from seed 2.</summary>
    private static Workload Layer()
    {
        var inputs = new Dataset(Tensor.Rand([ConvBatch, ConvIn, ConvSize, ConvSize], new Generator(2)), Tensor.FromArray(new long[ConvBatch]));
        return Workload.Create("conv", Architecture.Parse(SecondConv), ConvBatch, OptimizerChoice.Sgd(0), inputs, inputs, seed: 1);
    }
}
