namespace Occam.Data;

/// <summary>
/// Bad or missing input data. The message is one line meant for the user: it names the file (and the line,
/// column or record where that helps) and the problem. The command line prints it and exits with code 2.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DataFormatException()
        : base("The data is not in the expected format.")
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    public DataFormatException(string message)
        : base(OneLine(message))
    {
    }

    /// <summary>Creates the exception with a one-line message and the low-level cause.</summary>
    public DataFormatException(string message, Exception innerException)
        : base(OneLine(message), innerException)
    {
    }

    /// <summary>An error about a whole file: "<c>file: problem</c>".</summary>
    internal static DataFormatException InFile(string file, string problem) => new($"{file}: {problem}");

    private static string OneLine(string message) =>
        message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal)
            ? message.ReplaceLineEndings(" ")
            : message;
}
