using Backprop.Cli;

namespace Backprop.Tests.Cli;

public class BackpropCommandTests
{
    // What a user's options and files cause is one line and exit code 2; a bug in Backprop must still show its stack trace.
    [Fact]
    public void RefusedFilesAreUserErrorsAndBugsAreNot()
    {
        Assert.True(BackpropCommand.IsUserError(new UnauthorizedAccessException("Access to the path '/sys/x' is denied.")));
        Assert.True(BackpropCommand.IsUserError(new DirectoryNotFoundException()));
        Assert.True(BackpropCommand.IsUserError(new Backprop.Data.DataFileException("x.csv", "line 2: 'a' is not a number")));
        Assert.False(BackpropCommand.IsUserError(new NullReferenceException()));
        Assert.False(BackpropCommand.IsUserError(new IndexOutOfRangeException()));
    }
}
