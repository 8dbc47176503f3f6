namespace Occam.Cli;

/// <summary>Entry point: parses the command line and dispatches to a command.</summary>
internal static class CommandLine
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("occam: no commands yet");
        return 2;
    }
}
