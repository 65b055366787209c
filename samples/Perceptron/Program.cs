// The article's perceptron, a = i·w, trained by gradient descent on C = (a − y)² until w stops moving: w goes
// 0.8 → 0.59 → 0.4745 → … → 1/3, the weight for which i·w = y. Every dC/dw comes from the engine's Backward.
using Backprop;
using Backprop.Autograd;
using Backprop.Losses;

double input = 1.5, desired = 0.5, rate = 0.1;
var w = Tensor.Scalar(0.8, DType.Float64);
w.RequiresGrad = true;
var i = Tensor.Scalar(input, DType.Float64);
var y = Tensor.Scalar(desired, DType.Float64);

for (int step = 0; step < 100; step++)
{
    w.ZeroGrad();
    var cost = Loss.Mse(i * w, y);   // forward: a = i·w, C = (a − y)²
    cost.Backward();                 // dC/dw = 2(a − y)·i, by the chain rule
    double before = w.Item(), gradient = w.Grad!.Item();
    using (new NoGrad()) w.AddInPlace(w.Grad!, alpha: -rate);  // w ← w − r·dC/dw
    Console.WriteLine($"step {step}: w = {before:F6}, C = {cost.Item():F6}, dC/dw = {gradient:F6} → w = {w.Item():F6}");
    if (Math.Abs(w.Item() - before) < 1e-6) break;
}
Console.WriteLine($"w = {w.Item():F6}; the exact answer is y / i = {desired / input:F6}");
return Math.Abs(w.Item() - desired / input) < 1e-5 ? 0 : 1;
