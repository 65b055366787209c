using System.Text.RegularExpressions;
using Backprop.Autograd;
using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;
using Backprop.Tests.Training;

namespace Backprop.Tests;

/// <summary>The library examples in README.md and docs/library.md, line for line, with what they print or compute checked.</summary>
public class ReadmeExampleTests
{
    [Fact]
    [Trait("Category", "Dataset")]
    public void TrainingLoopOnMnist()
    {
        var console = new StringWriter();
        string[] args = [MnistData.Directory];

        string data = args.Length > 0 ? args[0] : "data/mnist";
        var train = Dataset.FromIdx(Path.Combine(data, "train-images-idx3-ubyte"), Path.Combine(data, "train-labels-idx1-ubyte"));
        var test = Dataset.FromIdx(Path.Combine(data, "t10k-images-idx3-ubyte"), Path.Combine(data, "t10k-labels-idx1-ubyte"));
        var g = new Generator(1);                                         // seeded: the same weights on every run
        var model = new Sequential(new Flatten(), new Linear(784, 128, generator: g), new ReLU(), new Linear(128, 10, generator: g));
        var optimizer = new Sgd(model.Parameters(), learningRate: 0.1);
        foreach (var batch in new DataLoader(train, batchSize: 64, shuffle: true, new Generator(2)))
        {
            using var scope = new TensorScope();                          // recycles the step's tensors
            optimizer.ZeroGrad();
            var loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Targets);
            loss.Backward();                                              // every parameter's Grad, by the chain rule
            optimizer.Step();                                             // p ← p − lr · p.Grad
        }
        console.WriteLine($"accuracy {Evaluator.Evaluate(model, new CrossEntropyLoss(), test).Accuracy:P2}");  // accuracy 92.27 %

        // The figure in the comment is this machine's (AVX-512 kernels); other vector widths round differently.
        var printed = Regex.Match(console.ToString(), @"^accuracy (\d+\.\d+) ?%\n$");
        Assert.True(printed.Success, console.ToString());
        Assert.InRange(double.Parse(printed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 90.0, 100.0);
    }

    [Fact]
    public void ArticleExampleInCode()
    {
        var console = new StringWriter();

        var w = Tensor.Scalar(0.8, DType.Float64);   // the weight, a leaf we want dC/dw for
        w.RequiresGrad = true;
        var i = Tensor.Scalar(1.5, DType.Float64);   // input
        var y = Tensor.Scalar(0.5, DType.Float64);   // desired output

        var a = i * w;                               // forward: a = i·w = 1.2
        var cost = Loss.Mse(a, y);                   // C = (a − y)² = 0.49
        cost.Backward();                             // chain rule: dC/dw = 2(a − y)·i = 2.1
        console.WriteLine(w.Grad);                   // tensor(2.1000, dtype=float64)
        using (new NoGrad()) w.AddInPlace(w.Grad!, alpha: -0.1);  // w₁ = w₀ − r·dC/dw
        console.WriteLine(w);                        // tensor(0.5900, dtype=float64, requires_grad=True)

        Assert.Equal("tensor(2.1000, dtype=float64)\ntensor(0.5900, dtype=float64, requires_grad=True)\n", console.ToString());
    }

    // A residual block, x + f(x): a module of your own, its child registered by name (PyTorch's add_module).
    sealed class Residual : Module
    {
        private readonly Module f;
        public Residual(Module f) => this.f = RegisterModule("f", f);
        public override Tensor Forward(Tensor input) => input + f.Forward(input);
    }

    [Fact]
    public void YourOwnModuleThroughTheTrainer()
    {
        var train = TrainerTests.Blobs(1);
        var test = TrainerTests.Blobs(3);
        using var dir = new TempDirectory();
        string path = dir.File("residual.safetensors");

        var g = new Generator(1);
        var model = new Sequential(new Linear(2, 8, generator: g), new Residual(new Sequential(new Linear(8, 8, generator: g), new Tanh())), new Linear(8, 3, generator: g));
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.05));  // the loss implies the task: classes
        trainer.Fit(new DataLoader(train, batchSize: 10, shuffle: true, g), epochs: 5);  // train: a Dataset, features [N, 2], classes [N]
        Evaluation result = trainer.Evaluate(test);                                      // loss, accuracy, confusion matrix
        Safetensors.Save(path, model.StateDict());                                       // 0.weight, 1.f.0.weight, …: PyTorch's names

        Assert.True(result.Accuracy >= 0.95, $"accuracy {result.Accuracy}");
        Assert.Equal(["0.weight", "0.bias", "1.f.0.weight", "1.f.0.bias", "2.weight", "2.bias"], Safetensors.Load(path).Tensors.Keys);
    }

    [Fact]
    public void TrainingLoopByHand()
    {
        var train = TrainerTests.Blobs(1);
        var g = new Generator(1);
        var model = new Sequential(new Linear(2, 8, generator: g), new Residual(new Sequential(new Linear(8, 8, generator: g), new Tanh())), new Linear(8, 3, generator: g));
        var before = Evaluator.Evaluate(model, new CrossEntropyLoss(), train);

        var optimizer = new Sgd(model.Parameters(), learningRate: 0.1);
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            foreach (var batch in new DataLoader(train, batchSize: 10, shuffle: true, g))
            {
                using var scope = new TensorScope();                              // recycles the step's tensors
                optimizer.ZeroGrad();
                var loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Targets);
                loss.Backward();                                                  // every parameter's Grad, by the chain rule
                optimizer.Step();                                                 // p ← p − lr · p.Grad
            }
        }

        var after = Evaluator.Evaluate(model, new CrossEntropyLoss(), TrainerTests.Blobs(3));
        Assert.True(after.Loss < before.Loss / 2, $"loss {before.Loss} → {after.Loss}");
        Assert.True(after.Accuracy >= 0.95, $"accuracy {after.Accuracy}");
    }

    [Fact]
    public void EveryCodeBlockIsTestedCode()
    {
        string tested = Normalise(File.ReadAllText(Repository.File("tests/Backprop.Tests/ReadmeExampleTests.cs")));
        foreach (var (document, least) in new[] { ("README.md", 1), ("docs/library.md", 3) })
        {
            var blocks = Regex.Matches(File.ReadAllText(Repository.File(document)), "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
            Assert.True(blocks.Count >= least, $"{document} has {blocks.Count} C# blocks");
            // Ignoring case: the documents print to Console, the test to its own console.
            foreach (var block in blocks) Assert.True(tested.Contains(Normalise(block), StringComparison.OrdinalIgnoreCase), $"{document} has C# that no test runs:\n{block}");
        }
    }

    /// <summary>Lines trimmed and joined without the usings (the README's blocks name theirs), so that indentation does not matter.</summary>
    private static string Normalise(string code) =>
        string.Join('\n', code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("using Backprop", StringComparison.Ordinal)));
}
