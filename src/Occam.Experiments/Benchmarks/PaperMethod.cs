using System.Globalization;

namespace Occam.Benchmarks;

/// <summary>
/// A method of <see cref="PaperBenchmark"/> and its pruning cadence: decisions once per epoch (<see cref="PruneEvery"/>
/// null), or every <see cref="PruneEvery"/> optimiser steps (<see cref="Occam.Training.TrainerOptions.PruneEvery"/>).
/// <see cref="Name"/> is how the report, results.json, the JSON lines and the sweep's cells name it: "occam", "occam/150".
/// </summary>
/// <param name="Method">The method's registry name (<see cref="Occam.Pruning.PruningMethods"/>).</param>
/// <param name="PruneEvery">Optimiser steps between decision points; null for once per epoch.</param>
public sealed record PaperMethod(string Method, int? PruneEvery = null)
{
    private const char Separator = '/';

    /// <summary>The row name: the method, then "/N" for a step cadence.</summary>
    public string Name => PruneEvery is int every ? string.Create(CultureInfo.InvariantCulture, $"{Method}{Separator}{every}") : Method;

    /// <summary>The folder of the method's run records: <see cref="Name"/> without its path separator ("occam-every150").</summary>
    public string Folder => PruneEvery is int every ? string.Create(CultureInfo.InvariantCulture, $"{Method}-every{every}") : Method;

    /// <summary>The method and cadence a <see cref="Name"/> names.</summary>
    /// <exception cref="FormatException">The cadence is not a whole number of at least 1.</exception>
    public static PaperMethod Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int slash = name.IndexOf(Separator, StringComparison.Ordinal);
        if (slash < 0)
        {
            return new PaperMethod(name);
        }

        return int.TryParse(name.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int every) && every >= 1
            ? new PaperMethod(name[..slash], every)
            : throw new FormatException($"'{name}': expected METHOD or METHOD/STEPS with STEPS a whole number of at least 1");
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
