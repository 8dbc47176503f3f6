using Occam.Cli;
using Occam.Cli.Engine;

namespace Occam.Tests.Cli;

/// <summary>What one in-process run of <c>occam</c> produced.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>stderr's non-empty lines.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs the command line in-process with captured stdout and stderr.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args) => Run(engine: null, args);

    public static CliResult Run(IOccamEngine? engine, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = CommandLine.Run(args, output, error, engine);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs the library engine and interrupts it (as Ctrl-C does) once a progress line on stderr contains
    /// <paramref name="interruptAt"/>.
    /// </summary>
    public static CliResult RunInterrupted(string interruptAt, params string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new InterruptingWriter(interruptAt, interrupt);
        int code = CommandLine.Run(args, output, error, engine: null, interactive: false, interrupt.Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>stderr that fires the interrupt when a line contains a fragment.</summary>
    private sealed class InterruptingWriter(string fragment, CancellationTokenSource interrupt) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(fragment, StringComparison.Ordinal))
            {
                interrupt.Cancel();
            }
        }
    }

    /// <summary>Asserts a usage failure: exit 2, nothing on stdout, exactly one "occam: ..." line on stderr containing <paramref name="fragment"/>.</summary>
    public static void AssertUsageError(CliResult result, string fragment)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("occam: ", line, StringComparison.Ordinal);
        Assert.Contains(fragment, line, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat \S+\(", line);
    }

    /// <summary>
    /// As <see cref="AssertUsageError"/>, for a CSV command that failed after saying what typed ingestion decided:
    /// exactly that "occam: csv: ..." line, then the one error line.
    /// </summary>
    public static void AssertUsageErrorAfterCsvSummary(CliResult result, string fragment)
    {
        Assert.Equal(2, result.ErrorLines.Length);
        Assert.StartsWith("occam: csv: ", result.ErrorLines[0], StringComparison.Ordinal);
        AssertUsageError(result with { Error = result.ErrorLines[1] }, fragment);
    }
}
