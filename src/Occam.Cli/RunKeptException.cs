namespace Occam.Cli;

/// <summary>
/// A command failed, was interrupted or diverged after its run became resumable, and the staging folder was kept:
/// the message says why it stopped, where the run is and how to continue it; the exit code is the cause's.
/// </summary>
internal sealed class RunKeptException : Exception
{
    /// <summary>Creates the exception with the one-line message and the exit code of its cause.</summary>
    public RunKeptException(string message, int exitCode, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }
}
