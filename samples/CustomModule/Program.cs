// A module of your own (a residual block, x + f(x)) in a network trained by the Trainer on the playground's spiral
// (three classes), then evaluated, saved with PyTorch's parameter names, loaded into a fresh network and used to predict.
using Backprop;
using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

var g = new Generator(1);
Dataset Spiral(int count, ulong seed)
{
    var points = PlaneData.Generate(PlaneDataset.Spiral, count, noise: 0, new Generator(seed), classes: 3);
    var features = Tensor.FromArray(points.SelectMany(p => new[] { p.X1, p.X2 }).ToArray()).Reshape(count, 2);
    var classes = Tensor.FromArray(points.Select(p => (long)p.Label).ToArray());
    return new Dataset(features, classes);
}
var (train, test) = (Spiral(600, 1), Spiral(300, 2));

Sequential Network(Generator generator) => new(
    new Linear(2, 32, generator: generator), new Tanh(),
    new Residual(new Sequential(new Linear(32, 32, generator: generator), new Tanh())),
    new Residual(new Sequential(new Linear(32, 32, generator: generator), new Tanh())),
    new Linear(32, 3, generator: generator));

var model = Network(g);
var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.01));  // the loss implies classes
trainer.EpochCompleted += report => { if (report.Epoch % 50 == 0) Console.WriteLine($"epoch {report.Epoch}: train loss {report.TrainLoss:F4}"); };
trainer.Fit(new DataLoader(train, batchSize: 32, shuffle: true, g), epochs: 300);
var result = trainer.Evaluate(test);
Console.WriteLine($"test: loss {result.Loss:F4}, accuracy {result.Accuracy:P2}");

string path = Path.Combine(Path.GetTempPath(), "residual-spiral.safetensors");
Safetensors.Save(path, model.StateDict());                     // 0.weight, 2.f.0.weight, …: PyTorch's names
var loaded = Network(new Generator(99));
loaded.LoadStateDict(Safetensors.Load(path).Tensors);
loaded.Eval();
var first = test.Features.Slice(0, 0, 5);
var predicted = loaded.Forward(first).Argmax(1).ToInt64Array();
Console.WriteLine($"saved to {path}; the loaded network predicts classes {string.Join(", ", predicted)} for the first test points (labels {string.Join(", ", test.Targets.Slice(0, 0, 5).ToInt64Array())})");
return result.Accuracy >= 0.9 ? 0 : 1;

/// <summary>A residual block, x + f(x): a module of your own, its child registered by name (PyTorch's add_module).</summary>
sealed class Residual : Module
{
    private readonly Module f;
    public Residual(Module f) => this.f = RegisterModule("f", f);
    public override Tensor Forward(Tensor input) => input + f.Forward(input);
}
