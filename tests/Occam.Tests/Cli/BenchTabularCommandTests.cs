using System.Text.Json;
using Occam.Benchmarks;
using Occam.Cli.Commands;

namespace Occam.Tests.Cli;

public sealed class BenchTabularCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-bench").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void JsonHasOneLinePerCsvWithEveryMethod()
    {
        File.WriteAllText(Path.Combine(_dir, "b.csv"), "x,class\n1,a\n");
        File.WriteAllText(Path.Combine(_dir, "a.csv"), "x,class\n1,a\n");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not data");
        var result = CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", _dir, "--json");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("a", first.RootElement.GetProperty("dataset").GetString());
        foreach (string key in new[] { "occam", "occam_paper", "dense", "posthoc", "rf", "gbdt" })
        {
            var method = first.RootElement.GetProperty(key);
            foreach (string field in new[] { "logloss", "accuracy", "size", "seconds" })
            {
                Assert.Equal(JsonValueKind.Number, method.GetProperty(field).ValueKind);
            }
        }
    }

    [Fact]
    public void TheTableCountsWins()
    {
        File.WriteAllText(Path.Combine(_dir, "a.csv"), "x,class\n1,a\n");
        string outDir = Path.Combine(_dir, "out");
        var result = CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", _dir, "--out", outDir);

        Assert.Equal(0, result.ExitCode);
        // The fake engine gives dense the lowest log-loss and the highest accuracy.
        Assert.Contains("Wins by log-loss: occam 0, occam_paper 0, dense 1,", result.Output, StringComparison.Ordinal);
        Assert.Contains("Wins by accuracy: occam 0, occam_paper 0, dense 1,", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "tabular.jsonl")));
        Assert.True(File.Exists(Path.Combine(outDir, "tabular.md")));
    }

    [Fact]
    public void FiguresReusedFromTheDenseRunAreSaid()
    {
        static TabularSeedResult Seed(string key, int seed, bool reused) => new(key, seed, 0.2, 0.9, 100, 1, 1, 5) { SameAsDense = reused };
        var result = new TabularBenchmarkResult("wine", 178, 13, 3, new Dictionary<string, TabularMethodResult>
        {
            ["dense"] = TabularMethodResult.FromSeeds([Seed("dense", 0, false), Seed("dense", 1, false)]),
            ["posthoc"] = TabularMethodResult.FromSeeds([Seed("posthoc", 0, true), Seed("posthoc", 1, false)]),
        });

        using var line = JsonDocument.Parse(BenchTabularCommand.JsonLine(result));
        Assert.Equal(0.5, line.RootElement.GetProperty("posthoc").GetProperty("same_as_dense").GetDouble());
        Assert.False(line.RootElement.GetProperty("dense").TryGetProperty("same_as_dense", out _));
        Assert.Contains("the dense run's figures are reused): posthoc on wine (1 of 2 seeds)\n", BenchTabularCommand.Markdown([result], 2, 10), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDirectoryIsAUsageError() =>
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "bench", "tabular", "--data", Path.Combine(_dir, "none")), "does not exist");
}
