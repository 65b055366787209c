// An MNIST classifier written against the Backprop package: a 784-128-10 network, one epoch of SGD with a training
// loop written by hand and one with the Trainer, the test accuracy of each, then the model saved, loaded into a fresh
// network and asked for a digit.
// Usage: dotnet run -- DATA_DIR   (the four IDX files of MNIST, as scripts/get-data.sh mnist leaves them in data/mnist)
using Backprop;
using Backprop.Autograd;
using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

string data = args.Length > 0 ? args[0] : "data/mnist";
var train = Dataset.FromIdx(Path.Combine(data, "train-images-idx3-ubyte"), Path.Combine(data, "train-labels-idx1-ubyte"));
var test = Dataset.FromIdx(Path.Combine(data, "t10k-images-idx3-ubyte"), Path.Combine(data, "t10k-labels-idx1-ubyte"));

Sequential Network(Generator g) => new(new Flatten(), new Linear(784, 128, generator: g), new ReLU(), new Linear(128, 10, generator: g));
var model = Network(new Generator(1));
var optimizer = new Sgd(model.Parameters(), learningRate: 0.1);

// One epoch, by hand: forward, loss, backward, step, a batch at a time.
int step = 0;
foreach (var batch in new DataLoader(train, batchSize: 64, shuffle: true, new Generator(2)))
{
    using var scope = new TensorScope();   // recycles the step's tensors
    optimizer.ZeroGrad();
    var loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Targets);
    loss.Backward();
    optimizer.Step();
    if (++step % 200 == 0) Console.WriteLine($"step {step}: loss {loss.Item():F4}");
}
var result = Evaluator.Evaluate(model, new CrossEntropyLoss(), test);
Console.WriteLine($"after one epoch by hand: test loss {result.Loss:F4}, accuracy {result.Accuracy:P2}");

// The same epoch with the Trainer, which opens the scope, zeroes, steps and evaluates for you (and reports each epoch).
var trained = Network(new Generator(1));
var trainer = new Trainer(trained, new CrossEntropyLoss(), new Sgd(trained.Parameters(), learningRate: 0.1));
trainer.EpochCompleted += report => Console.WriteLine($"the Trainer's epoch {report.Epoch}: train loss {report.TrainLoss:F4}");
trainer.Fit(new DataLoader(train, batchSize: 64, shuffle: true, new Generator(2)), epochs: 1);
var byTrainer = trainer.Evaluate(test);
Console.WriteLine($"after one epoch with the Trainer: test loss {byTrainer.Loss:F4}, accuracy {byTrainer.Accuracy:P2}");

string path = Path.Combine(Path.GetTempPath(), "mnist-784-128-10.safetensors");
Safetensors.Save(path, model.StateDict());
var loaded = Network(new Generator(99));
loaded.LoadStateDict(Safetensors.Load(path).Tensors);
using (new NoGrad())
{
    long digit = loaded.Forward(test.Features.Slice(0, 0, 1)).Argmax(1).ToInt64Array()[0];
    Console.WriteLine($"the loaded model reads the first test image as {digit} (its label: {test.Targets.Slice(0, 0, 1).ToInt64Array()[0]})");
}
return result.Accuracy >= 0.9 && byTrainer.Accuracy >= 0.9 ? 0 : 1;
