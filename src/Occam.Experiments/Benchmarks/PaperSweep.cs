using System.Globalization;

namespace Occam.Benchmarks;

/// <summary>
/// <see cref="PaperBenchmark"/> as a sweep. A cell is one experiment on one seed with all its methods, not one method:
/// posthoc and gmp start from that seed's dense and Occam runs, which on the networks take minutes, so a cell per
/// method would retrain them in every process that runs one of their dependants (or make cells depend on each other's
/// files). Each cell stays independent and idempotent, and no run is trained twice.
/// </summary>
public static class PaperSweep
{
    /// <summary>The name sweep.json gives this benchmark.</summary>
    public const string BenchmarkName = "paper";

    /// <summary>The method axis of the grid: one entry, every method of the experiment.</summary>
    public const string AllMethods = "all";

    /// <summary>
    /// The sweep of <paramref name="options"/>: its experiments (<see cref="PaperBenchmarkOptions.Only"/>, else all) ×
    /// the network seeds (<see cref="PaperBenchmarkOptions.Seeds"/>, else <see cref="PaperBenchmarkOptions.Seed"/>);
    /// the tabular suite on seeds 0..<see cref="PaperBenchmarkOptions.TabularSeeds"/>−1 unless Seeds is given.
    /// </summary>
    public static SweepManifest Manifest(PaperBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] experiments = [.. PaperBenchmark.Experiments.Where(e => options.Only?.Contains(e) ?? true)];
        var values = new Dictionary<string, string>
        {
            ["quick"] = options.IsQuick ? "true" : "false",
            ["fashion-mnist"] = options.FashionMnistDirectory,
            ["tabular"] = options.TabularDirectory,
            ["text"] = options.TextPath,
        };
        return new SweepManifest(BenchmarkName, experiments, [.. options.Seeds ?? [options.Seed]], [AllMethods], values)
        {
            SeedsByGroup = options.Seeds is null && experiments.Contains("tabular")
                ? new Dictionary<string, IReadOnlyList<int>> { ["tabular"] = [.. Enumerable.Range(0, options.TabularSeeds)] }
                : null,
        };
    }

    /// <summary>The options <paramref name="manifest"/> was made from, as far as its report needs them (budgets and data paths).</summary>
    public static PaperBenchmarkOptions Options(SweepManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return (manifest.Option("quick") == "true" ? PaperBenchmarkOptions.Quick : PaperBenchmarkOptions.Full) with
        {
            FashionMnistDirectory = manifest.Option("fashion-mnist"),
            TabularDirectory = manifest.Option("tabular"),
            TextPath = manifest.Option("text"),
            Only = manifest.Groups,
        };
    }

    /// <summary>
    /// The folder, relative to the sweep's directory, of a network cell's run records and plots: the experiment's name,
    /// or <c>NAME/seedS</c> when the experiment runs on several seeds.
    /// </summary>
    public static string Folder(SweepManifest manifest, SweepCell cell)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(cell);
        return manifest.SeedsOf(cell.Group).Count == 1 ? cell.Group : string.Create(CultureInfo.InvariantCulture, $"{cell.Group}/seed{cell.Seed}");
    }
}
