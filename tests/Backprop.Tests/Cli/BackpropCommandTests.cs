using Backprop.Cli;
using Backprop.IO;

namespace Backprop.Tests.Cli;

public class BackpropCommandTests
{
    // What a user's options and files cause is one line and exit code 2; a bug in Backprop must still show its stack trace.
    [Fact]
    public void RefusedFilesAreUserErrorsAndBugsAreNot()
    {
        Assert.True(BackpropCommand.IsUserError(new UnauthorizedAccessException("Access to the path '/sys/x' is denied.")));
        Assert.True(BackpropCommand.IsUserError(new DirectoryNotFoundException()));
        Assert.True(BackpropCommand.IsUserError(new Backprop.IO.DataFileException("x.csv", "line 2: 'a' is not a number")));
        Assert.False(BackpropCommand.IsUserError(new NullReferenceException()));
        Assert.False(BackpropCommand.IsUserError(new IndexOutOfRangeException()));
    }

    // The Native AOT binary copied without SkiaSharp's libraries: the loader's exception, two type initializers deep, becomes
    // one line naming what to put beside the binary (CI also runs `plot` with the binary alone).
    [Fact]
    public void AMissingNativeLibraryIsOneLine()
    {
        var loaderError = new TypeInitializationException("ScottPlot.Fonts",
            new TypeInitializationException("SkiaSharp.SKTypeface", new DllNotFoundException("Unable to load shared library 'libSkiaSharp'\n/tmp/x/libSkiaSharp.so: cannot open")));
        string? line = BackpropCommand.MissingNativeLibrary(loaderError);
        Assert.NotNull(line);
        Assert.Contains("libSkiaSharp.so", line);
        Assert.DoesNotContain('\n', line);
        Assert.Null(BackpropCommand.MissingNativeLibrary(new TypeInitializationException("T", new NullReferenceException())));
        // Open MPI missing (train --distributed): its own one-line message, which names the fix, not the plotting one.
        var mpi = BackpropCommand.MissingNativeLibrary(Assert.Throws<DllNotFoundException>(() => Backprop.Distributed.ProcessGroup.Initialize(null, "libmpi-not-installed.so.40")));
        Assert.NotNull(mpi);
        Assert.Contains("install openmpi-bin", mpi);
        Assert.DoesNotContain("SkiaSharp", mpi);
    }

    [Fact]
    public void ThreadsAppliesToTheRunAndIsRestoredAfterIt()
    {
        // Inside the gate the thread-count tests share, so that none of them changes the count meanwhile.
        Kernels.ThreadSettings.With(2, () =>
        {
            var (code, output, error) = CliRunner.Run("demo", "--threads", "3");
            Assert.Equal(0, code);
            Assert.Contains("0.59", output);
            Assert.Equal("", error);
            Assert.Equal(2, Threads.Count);
        });
    }

    [Fact]
    public void VersionIsThePackageVersion()
    {
        // The version the packages get (Directory.Build.props), exactly, without a source revision appended.
        var version = System.Xml.Linq.XDocument.Load(Repository.File("Directory.Build.props")).Descendants("Version").Single().Value;
        var (code, output, error) = CliRunner.Run("--version");
        Assert.Equal(0, code);
        Assert.Equal(version + "\n", output.ReplaceLineEndings("\n"));
        Assert.Equal("", error);
    }

    [Fact]
    public void ThreadsBelowOneIsOneLine()
    {
        var (code, _, error) = CliRunner.Run("demo", "--threads", "0");
        Assert.Equal(BackpropCommand.UsageError, code);
        Assert.Equal("backprop: threads: the count must be at least 1, got 0\n", error.ReplaceLineEndings("\n"));
    }
}
