// A character-level GPT (nanoGPT's model) trained on a text file with the library, then sampled: the path from
// makemore to nanoGPT in C#. Usage: CharGpt [TEXT_FILE] [STEPS]; by default Tiny Shakespeare from ../shared/data/text/.
using Backprop;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optim;
using Backprop.Training;

string path = args.Length > 0 ? args[0] : "../shared/data/text/tinyshakespeare.txt";
int steps = args.Length > 1 ? int.Parse(args[1]) : 300;
var corpus = TextCorpus.Read(path);                                 // characters in code-point order, 90 % train / 10 % validate
var g = new Generator(1337);
var model = new GPT(corpus.Tokenizer.VocabularySize, blockSize: 32, nLayer: 2, nHead: 4, nEmbd: 64, bias: false, generator: g);
var optimizer = new AdamW(model.Parameters(), 3e-3, beta1: 0.9, beta2: 0.99, weightDecay: 0.1) { DecayMatricesOnly = true };
var trainer = new Trainer(model, new CrossEntropyLoss(), optimizer) { ClipGradNorm = 1.0 };
trainer.TextEvaluated += r => Console.WriteLine($"step {r.Step}: train loss {r.TrainLoss:F4}, val loss {r.ValidationLoss:F4}");
var evaluation = new TextEvaluation(new TextWindowLoader(corpus.Train, 16, 32, generator: new Generator(1)),
                                    new TextWindowLoader(corpus.Validation, 16, 32, generator: new Generator(2)), steps / 2, 20);
trainer.Fit(new TextWindowLoader(corpus.Train, batchSize: 16, blockSize: 32, generator: g), steps, evaluation,
            new WarmupCosineLR(optimizer, warmupSteps: steps / 10, decaySteps: steps, minLearningRate: 3e-4));

double loss = Evaluator.Evaluate(model, new CrossEntropyLoss(), corpus.Validation, blockSize: 32).Loss;
Console.WriteLine($"val loss {loss:F4} over the whole validation split");
var prompt = corpus.Tokenizer.Encode("\n");
var sample = new TextGenerator(model).Generate(prompt, count: 200, temperature: 0.8, generator: new Generator(7));
Console.WriteLine(corpus.Tokenizer.Decode([.. sample]));
return loss < Math.Log(corpus.Tokenizer.VocabularySize) - 1 ? 0 : 1;   // well below guessing uniformly
