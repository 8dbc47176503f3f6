using System.CommandLine;
using System.CommandLine.Help;
using Occam.Cli.Commands;
using Occam.Cli.Engine;

namespace Occam.Cli;

/// <summary>
/// Entry point: parses the command line, dispatches to a command and turns every failure into one line on stderr
/// ("occam: PROBLEM") with exit code 2 for bad input and 1 for anything unexpected, never a stack trace.
/// </summary>
internal static class CommandLine
{
    /// <summary>Runs <c>occam</c> with <paramref name="args"/> against the given writers and returns the exit code.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="output">stdout: results only.</param>
    /// <param name="error">stderr: progress and errors.</param>
    /// <param name="engine">The library calls; null for the production <see cref="LibraryEngine"/>.</param>
    /// <param name="interactive">True when stderr is a terminal that can show live progress bars.</param>
    /// <param name="cancellationToken">Fired when the user interrupts.</param>
    public static int Run(
        string[] args,
        TextWriter output,
        TextWriter error,
        IOccamEngine? engine = null,
        bool interactive = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var context = new CliContext(output, error, engine ?? new LibraryEngine(), interactive, cancellationToken);
        try
        {
            var root = BuildRoot(context);
            var result = root.Parse(args);
            if (result.Errors.Count > 0 && result.Action is not HelpAction)
            {
                string command = result.CommandResult.Command == root ? "occam" : $"occam {CommandPath(result)}";
                error.WriteLine($"occam: {OneLine(MostTellingError(result)).TrimEnd('.')} (see '{command} --help')");
                return ExitCodes.Usage;
            }

            var configuration = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return result.Invoke(configuration);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            error.WriteLine($"occam: {message}");
            return code;
        }
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("Occam: train neural networks while pruning them (Occam Gradient Descent), compare with baselines, report.")
        {
            TrainCommand.Create(context),
            CompareCommand.Create(context),
            EvalCommand.Create(context),
            PredictCommand.Create(context),
            ReportCommand.Create(context),
            ExportCommand.Create(context),
            BenchCommand.Create(context),
            DemoCommand.Create(context),
        };
        return root;
    }

    /// <summary>The exit code and one-line message for a failure: 2 for bad input, 130 for an interrupt, 1 otherwise.</summary>
    public static (int ExitCode, string Message) Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            RunKeptException kept => (kept.ExitCode, OneLine(kept.Message)),
            OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
            _ when IsUserError(exception) => (ExitCodes.Usage, OneLine(exception.Message)),
            _ => (ExitCodes.Failure, $"unexpected error ({exception.GetType().Name}): {OneLine(exception.Message)}"),
        };
    }

    /// <summary>
    /// Failures caused by what the user asked for or pointed at (bad options, missing or corrupt files), as opposed
    /// to bugs. Library exceptions for bad input belong here.
    /// </summary>
    public static bool IsUserError(Exception exception) => exception is UsageException
        or Occam.Data.DataFormatException
        or Occam.Training.TrainingDivergedException
        or FileNotFoundException
        or DirectoryNotFoundException
        or InvalidDataException
        or EndOfStreamException
        or UnauthorizedAccessException
        or IOException;

    /// <summary>An unrecognised word says more than the "required command" error it also causes, so it goes first.</summary>
    private static string MostTellingError(ParseResult result)
    {
        foreach (var parseError in result.Errors)
        {
            foreach (string token in result.UnmatchedTokens)
            {
                if (parseError.Message.Contains($"'{token}'", StringComparison.Ordinal))
                {
                    return parseError.Message;
                }
            }
        }

        return result.Errors[0].Message;
    }

    private static string CommandPath(ParseResult result)
    {
        var names = new List<string>();
        for (var command = result.CommandResult; command.Parent is System.CommandLine.Parsing.CommandResult parent; command = parent)
        {
            names.Add(command.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
