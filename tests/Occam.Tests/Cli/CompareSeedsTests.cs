using System.Globalization;
using System.Text.Json;
using Occam.Tests.Reports;

namespace Occam.Tests.Cli;

/// <summary><c>occam compare --seeds</c>: one comparison per seed, each in its own folder, reported over the seeds.</summary>
public sealed class CompareSeedsTests : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly string _root = RunFixtures.NewTemporaryDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void EachSeedRunsIntoItsOwnFolderAndTheReportAveragesTheirRecords()
    {
        string output = Path.Combine(_root, "cmp");
        var result = CliRunner.Run("compare", "--data", "digits", "--model", "mlp:32", "--epochs", "3", "--seeds", "2,5", "--out", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["report.md", "seed2", "seed5"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var summaries = new Dictionary<(int Seed, string Method), JsonElement>();
        foreach (int seed in new[] { 2, 5 })
        {
            string folder = Path.Combine(output, $"seed{seed}");
            Assert.True(File.Exists(Path.Combine(folder, "report.md")), folder);
            foreach (string method in Occam.Training.Comparison.Methods)
            {
                using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, method, "summary.json")));
                Assert.Equal(seed, summary.RootElement.GetProperty("seed").GetInt32());
                Assert.True(File.Exists(Path.Combine(folder, method, "model.safetensors")), $"{folder}/{method}");
                summaries[(seed, method)] = summary.RootElement.Clone();
            }
        }

        // Each seed has its own split and initialisation: the dense runs differ.
        Assert.NotEqual(Best(summaries[(2, "dense")], "test_loss"), Best(summaries[(5, "dense")], "test_loss"));

        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        foreach (string method in Occam.Training.Comparison.Methods)
        {
            JsonElement[] runs = [summaries[(2, method)], summaries[(5, method)]];
            string row = $"| {method} | 2 | {Spread(runs, r => Best(r, "epoch"), "F1", 1)} | {Spread(runs, r => Best(r, "test_loss"), "F4", 1)} | "
                + $"{Spread(runs, r => Best(r, "test_accuracy"), "F2", 100)} % | {Spread(runs, r => Best(r, "density"), "F1", 100)} % | "
                + $"{Spread(runs, r => r.GetProperty("total_train_seconds").GetDouble(), "F1", 1)} |";
            Assert.Contains(row, report, StringComparison.Ordinal);
            Assert.Contains($"| 5 | {method} | {Best(summaries[(5, method)], "epoch").ToString(Inv)} | ", report, StringComparison.Ordinal);
            Assert.Contains(Spread(runs, r => Best(r, "test_loss"), "F4", 1), result.Output, StringComparison.Ordinal);
        }

        Assert.Contains("[seed5 occam 3/3]", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonPrintsOneSummaryPerSeedAndMethodEachAsThatSeedsOwnComparisonGivesIt()
    {
        var seeds = CliRunner.Run("compare", "--data", "digits", "--model", "mlp:16", "--epochs", "2", "--seeds", "3,1", "--json");
        var single = CliRunner.Run("compare", "--data", "digits", "--model", "mlp:16", "--epochs", "2", "--seed", "1", "--json");

        Assert.Equal(0, seeds.ExitCode);
        Assert.Equal(0, single.ExitCode);
        string[] lines = seeds.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var documents = lines.Select(l => JsonDocument.Parse(l)).ToArray();
        try
        {
            Assert.Equal(
                [.. new[] { 3, 1 }.SelectMany(seed => Occam.Training.Comparison.Methods.Select(method => (seed, method)))],
                documents.Select(d => (d.RootElement.GetProperty("seed").GetInt32(), d.RootElement.GetProperty("method").GetString()!)));
            using var today = JsonDocument.Parse(single.Output);
            foreach (var document in documents.Where(d => d.RootElement.GetProperty("seed").GetInt32() == 1))
            {
                var expected = today.RootElement.GetProperty(document.RootElement.GetProperty("method").GetString()!);
                Assert.Equal(Best(expected, "test_loss"), Best(document.RootElement, "test_loss"));
                Assert.Equal(Best(expected, "nonzero_params"), Best(document.RootElement, "nonzero_params"));
            }
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    [Fact]
    public void OneSeedInTheListIsTodaysComparisonWithThatSeed()
    {
        var listed = new FakeEngine();
        var plain = new FakeEngine();
        string listedOut = Path.Combine(_root, "listed");
        string plainOut = Path.Combine(_root, "plain");
        var withList = CliRunner.Run(listed, "compare", "--data", "digits", "--epochs", "3", "--seeds", "4", "--out", listedOut);
        var withSeed = CliRunner.Run(plain, "compare", "--data", "digits", "--epochs", "3", "--seed", "4", "--out", plainOut);

        Assert.Equal(0, withList.ExitCode);
        Assert.Equal(withSeed.Output.Replace(plainOut, listedOut, StringComparison.Ordinal), withList.Output);
        Assert.Equal(4, Assert.Single(listed.Comparisons).Seed);
        Assert.Equal(Entries(plainOut), Entries(listedOut));
        Assert.Equal(File.ReadAllText(Path.Combine(plainOut, "report.md")), File.ReadAllText(Path.Combine(listedOut, "report.md")));
        Assert.DoesNotContain("seed", withList.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralSeedsRunInTheGivenOrderAndPrintTheMeanTableThenEverySeedsRuns()
    {
        var engine = new FakeEngine();
        var result = CliRunner.Run(engine, "compare", "--data", "digits", "--epochs", "3", "--seeds", "7,2,9");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([7, 2, 9], engine.Comparisons.Select(c => c.Seed));
        Assert.Equal(["seed7", "seed2", "seed9"], engine.Comparisons.Select(c => Path.GetFileName(c.Directory)));
        string[] lines = result.Output.Split('\n');
        int meanHeader = Array.FindIndex(lines, l => l.Contains("│ method", StringComparison.Ordinal) && l.Contains("seeds", StringComparison.Ordinal));
        int seedHeader = Array.FindIndex(lines, l => l.Contains("│ seed ", StringComparison.Ordinal) && l.Contains("method", StringComparison.Ordinal));
        Assert.True(meanHeader >= 0 && seedHeader > meanHeader, result.Output);
        Assert.Equal(9, lines.Count(l => l.Contains("│ 7 ", StringComparison.Ordinal) || l.Contains("│ 2 ", StringComparison.Ordinal) || l.Contains("│ 9 ", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReportRebuildsEverySeedsReportAndTheReportOverTheSeeds()
    {
        string output = Path.Combine(_root, "cmp");
        var compare = CliRunner.Run(new FakeEngine(), "compare", "--data", "digits", "--epochs", "4", "--seeds", "1,3", "--out", output);
        Assert.Equal(0, compare.ExitCode);
        string overSeeds = Path.Combine(output, "report.md");
        string firstSeed = Path.Combine(output, "seed1", "report.md");
        string[] written = [File.ReadAllText(overSeeds), File.ReadAllText(firstSeed)];
        File.Delete(overSeeds);
        File.Delete(firstSeed);

        var report = CliRunner.Run("report", output);

        Assert.Equal(0, report.ExitCode);
        Assert.Equal(written, new[] { File.ReadAllText(overSeeds), File.ReadAllText(firstSeed) });
        Assert.Equal(Tables(compare.Output), Tables(report.Output));
        Assert.EndsWith($"report written to {overSeeds}\n", report.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,1")]
    [InlineData("a")]
    [InlineData("-1")]
    [InlineData("1,,2")]
    [InlineData("")]
    public void BadSeedListsAreOneLineUsageErrorsThatWriteNothing(string seeds)
    {
        var engine = new FakeEngine();
        string output = Path.Combine(_root, "never");
        CliRunner.AssertUsageError(CliRunner.Run(engine, "compare", "--data", "digits", "--seeds", seeds, "--out", output), "--seeds");
        Assert.Empty(engine.Comparisons);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Stdout up to the line that says where the files went.</summary>
    private static string Tables(string output) => output[..output.LastIndexOf('\n', output.IndexOf(" written to ", StringComparison.Ordinal))];

    private static double Best(JsonElement summary, string figure) => summary.GetProperty("best").GetProperty(figure).GetDouble();

    /// <summary>The report's "mean ± sd" of a figure over runs, computed here from the records.</summary>
    private static string Spread(IReadOnlyList<JsonElement> runs, Func<JsonElement, double> figure, string format, double scale)
    {
        double[] values = [.. runs.Select(figure)];
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return $"{(mean * scale).ToString(format, Inv)} ± {(sd * scale).ToString(format, Inv)}";
    }

    private static string[] Entries(string directory) =>
        [.. Directory.GetFileSystemEntries(directory, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(directory, p)).Order(StringComparer.Ordinal)];
}
