namespace Occam.Cli;

/// <summary>The process exit codes of <c>occam</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did its work.</summary>
    public const int Success = 0;

    /// <summary>Something unexpected failed (a bug or an environment problem).</summary>
    public const int Failure = 1;

    /// <summary>The input was wrong: bad options, specs or files.</summary>
    public const int Usage = 2;

    /// <summary>The user interrupted the command (128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
