namespace Occam.Cli;

/// <summary>
/// A mistake in what the user asked for (a bad option value, a malformed spec, a missing file):
/// reported as one line on stderr with exit code 2.
/// </summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception with the message shown after "occam: ".</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the message shown after "occam: " and its cause.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
