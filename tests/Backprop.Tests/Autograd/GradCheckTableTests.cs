using System.Reflection;
using Backprop.Autograd;

namespace Backprop.Tests.Autograd;

public class GradCheckTableTests
{
    public static TheoryData<string> CaseNames() => [.. GradCheckTable.Cases().Select(c => c.ToString())];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AutogradMatchesCentralDifferences(string caseName)
    {
        var row = GradCheckTable.Cases().Single(c => c.ToString() == caseName);
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var inputs = row.Inputs(new Generator(seed));
            var result = GradCheck.Check(row.Function, inputs, eps: row.Eps);
            Assert.True(result.Passed, $"{row} with seed {seed}, input shapes {string.Join(" ", inputs.Select(t => t.Shape))}: {result.Message}");
        }
    }

    /// <summary>
    /// Every public static method of a public static class of the library that computes a tensor from tensors is an op
    /// (the tensor's constructors live on <see cref="Tensor"/> itself, which is not static; file readers take paths),
    /// and each must have a row in the table.
    /// </summary>
    [Fact]
    public void EveryOpHasARow()
    {
        var ops = typeof(Tensor).Assembly.GetExportedTypes()
            .Where(t => t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(Tensor) && m.GetParameters().Any(p => TakesTensors(p.ParameterType)))
            .Select(m => m.Name)
            .ToHashSet();
        var covered = GradCheckTable.Cases().Select(c => c.Op).ToHashSet();

        Assert.Empty(ops.Except(covered));
        Assert.Empty(covered.Except(ops));
        Assert.Contains("MatMul", ops); // the reflection really finds the ops
    }

    private static bool TakesTensors(Type type) => type == typeof(Tensor) || typeof(IEnumerable<Tensor>).IsAssignableFrom(type);
}
