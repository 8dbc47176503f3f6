using Occam.Pruning;

namespace Occam.Cli.Specs;

/// <summary>Reads <c>--method</c> names through the library's registry, <see cref="PruningMethods"/>.</summary>
internal static class TrainingMethodParser
{
    /// <summary>Parses a method name (case-insensitive); throws <see cref="UsageException"/> for an unknown one.</summary>
    public static PruningMethod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PruningMethods.TryFind(text) ?? throw new UsageException($"--method '{text}': unknown method (expected {PruningMethods.NameList()})");
    }
}
