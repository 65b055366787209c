using System.Diagnostics;
using Backprop;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;

// ms per training step of issue 24's Tiny Shakespeare run: GPT(vocab_size=65, block_size=64, n_layer=4, n_head=4,
// n_embd=128, dropout=0, bias=False), batch 12, cross-entropy over [12, 64, 65], backward, ClipGrad.Norm 1.0, AdamW
// (lr 1e-3, betas 0.9, 0.99, weight decay 0.1 on matrices only), one TensorScope per step as the trainer runs it.
// Prints the median and the fastest of the timed steps after 10 warm-up steps, and the loss every 10 steps (the same
// numbers on every run: the seed is fixed). The machine is shared: compare runs made alternately, in separate processes.
// Usage: dotnet run -c Release [steps, default 100] [corpus, default ../shared/data/text/tinyshakespeare.txt]
int steps = args.Length > 0 ? int.Parse(args[0]) : 100;
string path = args.Length > 1 ? args[1] : Path.Combine(FindRepositoryRoot(), "..", "shared", "data", "text", "tinyshakespeare.txt");
var corpus = TextCorpus.FromString(File.ReadAllText(path));
var generator = new Generator(1337);
var model = new GPT(65, 64, 4, 4, 128, bias: false, generator: generator);
var optimizer = new AdamW(model.Parameters(), 1e-3, 0.9, 0.99, weightDecay: 0.1) { DecayMatricesOnly = true };
var loader = new TextWindowLoader(corpus.Train, 12, 64, true, generator);

var times = new List<double>();
for (int step = 0; step < steps + 10; step++)
{
    long start = Stopwatch.GetTimestamp();
    using var scope = new TensorScope();
    var batch = loader.NextBatch();
    optimizer.ZeroGrad(false);
    var loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Targets);
    loss.Backward();
    ClipGrad.Norm(model.Parameters(), 1.0);
    optimizer.Step();
    if (step >= 10) times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    if (step % 10 == 0) Console.WriteLine($"step {step}: loss {loss.Item():F4}");
}
times.Sort();
Console.WriteLine($"{steps} steps on {Threads.Count} threads ({VectorPath.Name}): median {times[times.Count / 2]:F1} ms/step, fastest {times[0]:F1} ms/step");

// The directory holding Backprop.slnx, from wherever dotnet run was started.
static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Backprop.slnx"))) return dir.FullName;
    }
    throw new InvalidOperationException("GptStep: run it inside the repository, or pass the corpus's path as the second argument");
}
