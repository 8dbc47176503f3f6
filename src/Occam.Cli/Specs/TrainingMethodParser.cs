namespace Occam.Cli.Specs;

/// <summary>Maps <c>--method</c> names to <see cref="TrainingMethod"/> and back.</summary>
internal static class TrainingMethodParser
{
    private static readonly (string Name, TrainingMethod Method)[] Names =
    [
        ("occam", TrainingMethod.Occam),
        ("occam-paper", TrainingMethod.OccamPaper),
        ("dense", TrainingMethod.Dense),
        ("posthoc", TrainingMethod.Posthoc),
        ("gmp", TrainingMethod.Gmp),
        ("imp", TrainingMethod.Imp),
    ];

    /// <summary>All accepted names, in help order.</summary>
    public static string Expected => "occam, occam-paper, dense, posthoc, gmp or imp";

    /// <summary>Parses a method name (case-insensitive); throws <see cref="UsageException"/> for an unknown one.</summary>
    public static TrainingMethod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string name = text.Trim().ToLowerInvariant();
        foreach (var (candidate, method) in Names)
        {
            if (candidate == name)
            {
                return method;
            }
        }

        throw new UsageException($"--method '{text}': unknown method (expected {Expected})");
    }

    /// <summary>The command-line (and run record) name of a method.</summary>
    public static string NameOf(TrainingMethod method)
    {
        foreach (var (name, candidate) in Names)
        {
            if (candidate == method)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method.");
    }
}
