namespace Backprop.Tests.Cli;

/// <summary>What every refused command must look like to its user.</summary>
internal static class CliAssert
{
    /// <summary>
    /// Exit code 2, nothing on standard output, and on standard error exactly one line, <c>backprop: </c> and
    /// <paramref name="message"/>: no stack trace (whose lines start with "   at ").
    /// </summary>
    public static void OneLineError((int Code, string Output, string Error) result, string message)
    {
        Assert.DoesNotContain("   at ", result.Output + result.Error);
        Assert.Equal((2, "", $"backprop: {message}{Environment.NewLine}"), result);
    }
}
