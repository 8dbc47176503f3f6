using System.Globalization;
using System.Text.Json.Serialization;

namespace Occam.Benchmarks;

/// <summary>
/// One cell of a sweep: a data set or experiment, a seed and a method, run with the sweep's options. Its seed and
/// split derive from this key alone, never from which shard ran it.
/// </summary>
/// <param name="Group">The data set (CSV file name without extension) or experiment name.</param>
/// <param name="Seed">The seed of the cell's split, initialisation and batch order.</param>
/// <param name="Method">The method's name, e.g. "occam", "dense", "gmp", "rf".</param>
public sealed record SweepCell(string Group, int Seed, string Method)
{
    /// <summary>The cell's name, also its result file's: <c>GROUP.seedS.METHOD</c>.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Group}.seed{Seed}.{Method}");
}

/// <summary>
/// Sweeps: grids of independent cells that a job array (Slurm, Kubernetes Indexed Jobs) splits into shards, each
/// shard a process that runs the cells k with k mod n = i.
/// </summary>
public static class Sweep
{
    /// <summary>
    /// The grid groups × seeds × methods, sorted: groups in ordinal order, seeds ascending, methods in the given (report)
    /// order. The same arguments always give the same numbering, which is what lets shards divide it without talking.
    /// </summary>
    public static IReadOnlyList<SweepCell> Grid(IEnumerable<string> groups, IEnumerable<int> seeds, IEnumerable<string> methods)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(methods);
        string[] sortedGroups = [.. groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        int[] sortedSeeds = [.. seeds.Distinct().Order()];
        string[] distinctMethods = [.. methods.Distinct(StringComparer.Ordinal)];
        var cells = new List<SweepCell>(sortedGroups.Length * sortedSeeds.Length * distinctMethods.Length);
        foreach (string group in sortedGroups)
        {
            foreach (int seed in sortedSeeds)
            {
                foreach (string method in distinctMethods)
                {
                    cells.Add(new SweepCell(group, seed, method));
                }
            }
        }

        return cells;
    }

    /// <summary>The cells of shard <paramref name="index"/> of <paramref name="count"/>: those at positions k with k mod count = index.</summary>
    public static IReadOnlyList<SweepCell> Shard(IReadOnlyList<SweepCell> grid, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        return [.. grid.Where((_, k) => k % count == index)];
    }
}

/// <summary>
/// What <c>sweep.json</c> records: which benchmark, its grid's axes and the options every cell runs with, so that
/// <c>occam bench merge</c> knows every cell there must be and how to report them.
/// </summary>
/// <param name="Benchmark">"tabular" or "paper".</param>
/// <param name="Groups">Data sets or experiments.</param>
/// <param name="Seeds">Seeds.</param>
/// <param name="Methods">Methods, in report order.</param>
/// <param name="Options">The options shared by every cell (e.g. "epochs", "task"), as their command-line values.</param>
public sealed record SweepManifest(string Benchmark, IReadOnlyList<string> Groups, IReadOnlyList<int> Seeds, IReadOnlyList<string> Methods,
    IReadOnlyDictionary<string, string> Options)
{
    /// <summary>
    /// Seeds of the groups that do not run on <see cref="Seeds"/> (the paper benchmark's tabular suite runs on its own
    /// seeds unless --seeds is given); null when every group does.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<int>>? SeedsByGroup { get; init; }

    /// <summary>The seeds of <paramref name="group"/>: its own (<see cref="SeedsByGroup"/>) or the sweep's.</summary>
    public IReadOnlyList<int> SeedsOf(string group) => SeedsByGroup is { } own && own.TryGetValue(group, out var seeds) ? seeds : Seeds;

    /// <summary>The sweep's cells, numbered as every shard numbers them (<see cref="Sweep.Grid"/>, each group on <see cref="SeedsOf"/>).</summary>
    public IReadOnlyList<SweepCell> Grid() => SeedsByGroup is null
        ? Sweep.Grid(Groups, Seeds, Methods)
        : [.. Groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).SelectMany(g => Sweep.Grid([g], SeedsOf(g), Methods))];

    /// <summary>The value of option <paramref name="name"/>; a sweep.json without it is an <see cref="InvalidDataException"/>.</summary>
    public string Option(string name) => Options.TryGetValue(name, out string? value)
        ? value
        : throw new InvalidDataException($"{SweepDirectory.ManifestFileName}: no option '{name}' in this {Benchmark} sweep");

    /// <summary>The value of the whole-number option <paramref name="name"/>; anything else is an <see cref="InvalidDataException"/>.</summary>
    public int IntegerOption(string name) => int.TryParse(Option(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value)
        ? value
        : throw new InvalidDataException($"{SweepDirectory.ManifestFileName}: option '{name}' is not a whole number ('{Option(name)}')");
}
