using Backprop.Autograd;
using Backprop.IO;
using Backprop.NN;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.IO;

/// <summary>Runs an exported model in ONNX Runtime and compares it with Backprop's own forward pass in evaluation mode.</summary>
internal static class OnnxRuntimeAssert
{
    /// <summary>
    /// Exports <paramref name="model"/> for examples of <paramref name="inputShape"/>, runs it at batch sizes 1 and 3 on
    /// values in [−3, 3], and asserts the same output shape and every value within <paramref name="tolerance"/>; returns the
    /// largest difference seen.
    /// </summary>
    public static double SameOutputs(Sequential model, int[] inputShape, double tolerance = 1e-4)
    {
        var bytes = OnnxExport.ToBytes(model, inputShape);
        bool training = model.IsTraining;
        model.Eval();
        double largest = 0;
        using var session = new InferenceSession(bytes);
        foreach (int batch in new[] { 1, 3 })
        {
            int[] shape = [batch, .. inputShape];
            var input = Tensor.Uniform(shape, -3, 3, new Generator((ulong)batch + 10));
            Tensor expected;
            using (new NoGrad()) expected = model.Forward(input);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.ToFloatArray(), shape))]);
            var actual = results.Single(r => r.Name == "output").AsTensor<float>();
            Assert.Equal(expected.Shape.ToArray(), actual.Dimensions.ToArray()); // equal shapes first, so the loop covers both outputs whole
            var want = expected.ToFloatArray();
            var got = actual.ToArray();
            for (int i = 0; i < want.Length; i++)
            {
                double difference = Math.Abs(want[i] - got[i]);
                Assert.True(difference <= tolerance, $"batch {batch}, output {i}: Backprop {want[i]}, ONNX Runtime {got[i]}");
                largest = Math.Max(largest, difference);
            }
        }
        model.Train(training);
        return largest;
    }

    /// <summary>
    /// Runs the exported <paramref name="bytes"/> of a model of int64 tokens on random token indices below
    /// <paramref name="vocabSize"/>, [batch, length] for each batch size and length given, and asserts Backprop's outputs
    /// in evaluation mode (its shape and every value within <paramref name="tolerance"/>); returns the largest difference.
    /// </summary>
    public static double SameOutputsOnTokens(byte[] bytes, Module model, int vocabSize, int[] batches, int[] lengths, double tolerance = 1e-4)
    {
        bool training = model.IsTraining;
        model.Eval();
        double largest = 0;
        using var session = new InferenceSession(bytes);
        var generator = new Generator(17);
        foreach (int batch in batches)
        {
            foreach (int length in lengths)
            {
                long[] tokens = [.. Enumerable.Range(0, batch * length).Select(_ => (long)generator.NextInt(vocabSize))];
                Tensor expected;
                using (new NoGrad()) expected = model.Forward(Tensor.FromArray(tokens, new Shape(batch, length)));
                using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(tokens, [batch, length]))]);
                var actual = results.Single(r => r.Name == "output").AsTensor<float>();
                Assert.Equal(expected.Shape.ToArray(), actual.Dimensions.ToArray());
                var want = expected.ToFloatArray();
                var got = actual.ToArray();
                for (int i = 0; i < want.Length; i++)
                {
                    double difference = Math.Abs(want[i] - got[i]);
                    Assert.True(difference <= tolerance, $"batch {batch}, length {length}, output {i}: Backprop {want[i]}, ONNX Runtime {got[i]}");
                    largest = Math.Max(largest, difference);
                }
            }
        }
        model.Train(training);
        return largest;
    }
}
