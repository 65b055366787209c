using System.CommandLine;
using System.Globalization;
using Backprop.NN;
using Backprop.Explain;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>
/// <c>backprop explain</c>: one forward and backward pass, narrated. Without a network it is the article's example in the
/// article's notation; with <c>--layers</c> or <c>--model</c> it is every weight and bias of a small network, from the
/// loss back to the first layer, each gradient as upstream gradient times local derivative; <c>explain attention</c> is
/// one causal attention head on three tokens.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var network = new ExampleNetwork();
        var weight = CheckedOption.Double("--weight", "The article's starting weight w₀ (without a network)", 0.8);
        var lr = CheckedOption.Double("--lr", "The learning rate r", 0.1, v => v <= 0 ? "must be greater than 0" : null);
        var subject = new Argument<string?>("subject") { Description = "attention: one causal attention head on three tokens, its softmax and the chain rule into q, k and v", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("explain", "One forward and backward pass with every number shown: the article's example, a small network (--arch, --layers, --model), or an attention head (explain attention)")
        {
            subject, weight, lr,
        };
        network.AddTo(command);
        command.SetAction(parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(subject) is { } topic)
            {
                if (topic != "attention") throw new ArgumentException($"explain: there is nothing called '{topic}' to explain; give attention, or no subject for the article's example");
                if (network.IsGiven(parsed)) throw new ArgumentException("explain attention: narrates its own tiny example; it takes no network (--arch, --layers, --model)");
                output.WriteLine("One causal attention head, as scaled_dot_product_attention(q, k, v, is_causal=True) computes it; every number is the engine's.");
                output.WriteLine();
                output.Write(AttentionExplanation.Example());
                return 0;
            }
            if (network.IsGiven(parsed))
            {
                var (model, description, input, target) = network.Create(parsed);
                string what = $"{description.Architecture} (inputs [{string.Join(", ", description.InputShape.ToArray())}])";
                output.WriteLine($"One example through the network {what}, loss {description.Loss.Name}; every gradient is the engine's own.");
                output.WriteLine();
                output.Write(NetworkExplanation.Run(model, input, target, description.Loss));
                return 0;
            }
            WriteArticle(output, parsed.GetValue(weight), Scalar(parsed.GetValue(network.Input), "--input", 1.5), Scalar(parsed.GetValue(network.Target), "--target", 0.5), parsed.GetValue(lr));
            return 0;
        });
        return command;
    }

    /// <summary>The article's derivation with the numbers filled in, each read from the engine's forward and backward pass.</summary>
    private static void WriteArticle(TextWriter output, double w, double i, double y, double r)
    {
        var step = new ArticleExample(w, i, y, r).Steps().First();
        string F(double v) => Number.Format(v);
        output.WriteLine($"The article's example: a perceptron without bias or activation, a = i·w, with i = {F(i)}, y = {F(y)}, w₀ = {F(w)}, r = {F(r)}.");
        output.WriteLine("Every number below is the engine's: its forward pass, and the gradients its backward pass computed.");
        output.WriteLine();
        output.WriteLine($"  a = i·w = {F(i)}·{F(step.Weight)} = {F(step.Output)}");
        output.WriteLine($"  C = (a − y)² = ({F(step.Output)} − {F(y)})² = {F(step.Cost)}");
        output.WriteLine($"  dC/da = 2(a − y) = {F(step.CostByOutput)}");
        output.WriteLine($"  da/dw = i = {F(step.OutputByWeight)}");
        output.WriteLine($"  dC/dw = dC/da · da/dw = {F(step.CostByWeight)}");
        output.WriteLine($"  w₁ = w₀ − r·dC/dw = {F(step.Weight)} − {F(r)}·{F(step.CostByWeight)} = {F(step.NextWeight)}");
        output.WriteLine();
        output.WriteLine($"The chain rule: dC/dw = dC/da · da/dw = {F(step.CostByOutput)} · {F(step.OutputByWeight)}. Run `backprop demo` for the following steps.");
    }

    private static double Scalar(string? text, string option, double defaultValue)
    {
        if (text is null) return defaultValue;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"{option}: '{text}' is not a number (the article's example takes one value; give --layers for a network)");
        }
        return value;
    }
}
