using System.Text.RegularExpressions;
using Occam.Benchmarks;
using Occam.Tests.Data;

namespace Occam.Tests.Cli;

/// <summary>Issue 22 for <c>occam bench paper</c>: cells experiment × seed, shards, and <c>occam bench merge</c> of them.</summary>
public sealed partial class BenchSweepTests
{
    private static string Root => TabularTests.RepositoryRoot();

    /// <summary>The quick budgets with the repository's data, so that only --only and --seeds vary between tests.</summary>
    private static string[] PaperArgs(string experiment, string seeds) =>
    [
        "bench", "paper", "--quick", "--only", experiment, "--seeds", seeds, "--fashion-mnist", Path.Combine(Root, "data", "fashion-mnist-sample"),
        "--tabular", Path.Combine(Root, "data", "tabular"), "--text", Path.Combine(Root, "data", "text", "kjv.txt.gz"),
    ];

    [Fact]
    public void PaperListPrintsOneCellPerExperimentAndSeedAndTheTabularSuiteOnItsOwnSeeds()
    {
        var all = CliRunner.Run(new FakeEngine(), "bench", "paper", "--quick", "--list");
        var seeded = CliRunner.Run(new FakeEngine(), "bench", "paper", "--seeds", "2,1", "--list");
        var shard = CliRunner.Run(new FakeEngine(), "bench", "paper", "--seeds", "2,1", "--list", "--shard", "1/3");

        Assert.True(all.ExitCode == 0, all.Error);
        Assert.Equal(["0 cnn.seed1.all", "1 gpt.seed1.all", "2 mlp.seed1.all", "3 tabular.seed0.all"], Lines(all.Output));
        Assert.Equal(
            ["0 cnn.seed1.all", "1 cnn.seed2.all", "2 gpt.seed1.all", "3 gpt.seed2.all", "4 mlp.seed1.all", "5 mlp.seed2.all", "6 tabular.seed1.all", "7 tabular.seed2.all"],
            Lines(seeded.Output));
        Assert.Equal(Lines(seeded.Output).Where((_, k) => k % 3 == 1), Lines(shard.Output));
        var full = PaperSweep.Manifest(PaperBenchmarkOptions.Full);
        Assert.Equal(Enumerable.Range(0, PaperBenchmarkOptions.Full.TabularSeeds), full.Grid().Where(c => c.Group == "tabular").Select(c => c.Seed));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void PaperShardsCoverTheGridWithoutOverlap(int count)
    {
        var grid = PaperSweep.Manifest(PaperBenchmarkOptions.Full with { Seeds = [3, 1, 2] }).Grid();
        string[] seen = [.. Enumerable.Range(0, count).SelectMany(i => Sweep.Shard(grid, i, count)).Select(c => c.Key)];

        Assert.Equal(12, grid.Count);
        Assert.Equal(grid.Select(c => c.Key).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Length, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void APaperShardGoesToTheEngineWithItsCellsAndNeedsItsDirectory()
    {
        var engine = new FakeEngine();
        string sweep = Path.Combine(_dir, "sweep");
        var shard = CliRunner.Run(engine, [.. PaperArgs("gpt", "1,2,3"), "--out", sweep, "--shard", "1/2"]);

        Assert.True(shard.ExitCode == 0, shard.Error);
        Assert.Equal(["gpt.seed2.all"], engine.PaperCells!.Select(c => c.Key));
        Assert.Contains("shard 1/2 (--shard): 1 cells run, 0 already done", shard.Output, StringComparison.Ordinal);
        Assert.Equal("paper", new SweepDirectory(sweep).ReadManifest().Benchmark);
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), [.. PaperArgs("gpt", "1"), "--shard", "0/2"]), "pass --out DIR");
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), PaperArgs("gpt", "1")), "--out");
    }

    /// <summary>
    /// The library engine: an unsharded run, and two shards (one by --shard in this process, one by Slurm's variables in
    /// another) merged: the same report, results and plots apart from timings; a re-run shard skips its finished cell.
    /// </summary>
    [Theory]
    [InlineData("gpt")]
    [InlineData("tabular")]
    public void PaperShardsMergedEqualTheUnshardedRun(string experiment)
    {
        string one = Path.Combine(_dir, "one");
        string sweep = Path.Combine(_dir, "sweep");
        string[] args = PaperArgs(experiment, "1,2");
        var unsharded = CliRunner.Run([.. args, "--out", one]);
        using (var slurm = StartCli([.. args, "--out", sweep], [("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "2")]))
        {
            Assert.Contains("shard 1/2 (SLURM_ARRAY_TASK_ID): 1 cells run, 0 already done", slurm.StandardOutput.ReadToEnd(), StringComparison.Ordinal);
            slurm.WaitForExit();
            Assert.True(slurm.ExitCode == 0, slurm.StandardError.ReadToEnd());
        }

        var first = CliRunner.Run([.. args, "--out", sweep, "--shard", "0/2"]);
        string cell = Path.Combine(sweep, SweepDirectory.CellsFolderName, $"{experiment}.seed1.all.json");
        var written = File.GetLastWriteTimeUtc(cell);
        var again = CliRunner.Run([.. args, "--out", sweep, "--shard", "0/2"]);
        var merged = CliRunner.Run("bench", "merge", sweep);

        Assert.True(unsharded.ExitCode == 0, unsharded.Error);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("shard 0/2 (--shard): 0 cells run, 1 already done", again.Output, StringComparison.Ordinal);
        Assert.Equal(written, File.GetLastWriteTimeUtc(cell));
        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Equal(PaperWithoutTimings(unsharded.Output), PaperWithoutTimings(merged.Output));
        foreach (string file in new[] { PaperReport.ReportFileName, PaperReport.ResultsFileName })
        {
            string expected = PaperWithoutTimings(File.ReadAllText(Path.Combine(one, file)));
            Assert.Equal(expected, PaperWithoutTimings(File.ReadAllText(Path.Combine(sweep, file))));
            Assert.Contains(experiment, expected, StringComparison.Ordinal);
        }

        string mergedReport = PaperWithoutTimings(File.ReadAllText(Path.Combine(sweep, PaperReport.ReportFileName)));
        Assert.Matches(@"\| occam \| [0-9.]+ \| [0-9]+\.[0-9]{4} ", mergedReport);
        if (experiment == "gpt")
        {
            // A cadence variant's row survives the cells and the merge under its own name.
            Assert.Matches(@"\| occam/10 \| [0-9.]+ \| [0-9]+\.[0-9]{4} ± [0-9]+\.[0-9]{4} ", mergedReport);
        }
        string[] plots = [.. Directory.GetFiles(one, "*.png", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(one, p)).Order(StringComparer.Ordinal)];
        Assert.Equal(experiment == "gpt" ? 6 : 0, plots.Length);
        Assert.Equal(plots, Directory.GetFiles(sweep, "*.png", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(sweep, p)).Order(StringComparer.Ordinal));
        foreach (string plot in plots)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(one, plot)), File.ReadAllBytes(Path.Combine(sweep, plot)));
            string report = Path.Combine(Path.GetDirectoryName(plot)!, RunReportFileName);
            Assert.Equal(RunReportWithoutTimings(File.ReadAllText(Path.Combine(one, report))), RunReportWithoutTimings(File.ReadAllText(Path.Combine(sweep, report))));
        }
    }

    [Fact]
    public void APaperCellKilledBeforeItsResultWasWrittenRunsAgainFromScratch()
    {
        string sweep = Path.Combine(_dir, "sweep");
        // What a kill leaves: the cell's half-written staging folder, or its records moved into place without the result.
        string staging = Path.Combine(sweep, SweepDirectory.CellsFolderName, ".gpt.seed2.all.staging", "dense");
        string moved = Path.Combine(sweep, "gpt", "seed2", "dense");
        Directory.CreateDirectory(staging);
        Directory.CreateDirectory(moved);
        File.WriteAllText(Path.Combine(staging, "epochs.jsonl"), "{\"epoch\":");
        File.WriteAllText(Path.Combine(moved, "epochs.jsonl"), "{\"epoch\":");

        var shard = CliRunner.Run([.. PaperArgs("gpt", "1,2"), "--out", sweep, "--shard", "1/2"]);

        Assert.True(shard.ExitCode == 0, shard.Error);
        Assert.False(Directory.Exists(Path.GetDirectoryName(staging)));
        Assert.StartsWith("{\"epoch\":1", File.ReadAllText(Path.Combine(moved, "epochs.jsonl")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(sweep, SweepDirectory.CellsFolderName, "gpt.seed2.all.json")));
    }

    [Fact]
    public void APaperMergeNamesTheMissingCellsAndKeepsToTheSweepsDirectory()
    {
        string sweep = Path.Combine(_dir, "sweep");
        Assert.Equal(0, CliRunner.Run([.. PaperArgs("tabular", "1,2"), "--out", sweep, "--shard", "0/2"]).ExitCode);

        CliRunner.AssertUsageError(CliRunner.Run("bench", "merge", sweep), "1 of the sweep's 2 cells have no result");
        Assert.Contains("tabular.seed2.all", CliRunner.Run("bench", "merge", sweep).Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(sweep, PaperReport.ReportFileName)));
        Assert.Equal(0, CliRunner.Run([.. PaperArgs("tabular", "1,2"), "--out", sweep, "--shard", "1/2"]).ExitCode);
        CliRunner.AssertUsageError(CliRunner.Run("bench", "merge", sweep, "--out", Path.Combine(_dir, "elsewhere")), "pass that DIR alone");
        Assert.False(Directory.Exists(Path.Combine(_dir, "elsewhere")));
    }

    private const string RunReportFileName = "report.md";

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A paper report, its results or its printed tables without what may differ between two runs of one sweep: times, date and command.</summary>
    private static string PaperWithoutTimings(string report) =>
        PaperTimings().Replace(PaperFacts().Replace(report, "$1 T"), "T");

    /// <summary>A run report without its seconds (figures with one decimal; losses have four, densities are percentages).</summary>
    private static string RunReportWithoutTimings(string report) => RunReportSeconds().Replace(report, "| T |");

    [GeneratedRegex(@"^(- Date:|- Command:|- Wall time:|Wall time:|\s*""date"":|\s*""command"":|\s*""seconds"":|\s*""train_seconds"":) .*$", RegexOptions.Multiline)]
    private static partial Regex PaperFacts();

    /// <summary>Training seconds: the tables' last column (before a printed row's note), "N× as long as dense GD", "(N min)" in the printed headings, the final line.</summary>
    [GeneratedRegex(@"\| [0-9.]+ \|$|[0-9.]+× as long|\([0-9.]+ min\)|^[0-9.]+ min; report written to .*$| [0-9.]+(?=(  same as dense.*)?$)", RegexOptions.Multiline)]
    private static partial Regex PaperTimings();

    [GeneratedRegex(@"\| [0-9]+\.[0-9] \|")]
    private static partial Regex RunReportSeconds();
}
