using System.Text.Json;
using Occam.Tests.Data;

namespace Occam.Tests.Cli;

public sealed class BenchPaperCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-paper-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Tabular => Path.Combine(TabularTests.RepositoryRoot(), "data", "tabular");

    private static string Text => Path.Combine(TabularTests.RepositoryRoot(), "data", "text", "kjv.txt.gz");

    [Fact]
    public void JsonPrintsOneLinePerMethodAndSeedAndTheOutputHoldsTheReport()
    {
        var engine = new FakeEngine();
        string output = Path.Combine(_dir, "out");
        var result = CliRunner.Run(engine, "bench", "paper", "--quick", "--out", output, "--json", "--seeds", "1,2,3",
            "--fashion-mnist", _dir, "--tabular", Tabular, "--text", Text);

        Assert.Equal(0, result.ExitCode);
        Assert.True(engine.PaperOptions!.IsQuick);
        Assert.Equal([1, 2, 3], engine.PaperOptions.Seeds!);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(["experiment", "method", "seed", "test_loss", "test_accuracy", "density", "nonzero", "train_seconds"],
            first.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("mlp", first.RootElement.GetProperty("experiment").GetString());
        Assert.Equal("occam", first.RootElement.GetProperty("method").GetString());
        Assert.Equal(1, first.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(0.29, first.RootElement.GetProperty("test_loss").GetDouble(), 9);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        Assert.StartsWith("occam bench paper --quick --out", results.RootElement.GetProperty("command").GetString(), StringComparison.Ordinal);
        var occam = results.RootElement.GetProperty("experiments")[0].GetProperty("methods")[0];
        Assert.Equal(0.01, occam.GetProperty("test_loss_sd").GetDouble(), 9);
        Assert.Contains("| occam | 3 | 0.3000 ± 0.0100 |", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_dir, ".*"));
    }

    [Fact]
    public void OnlyRunsOneExperimentAndNeedsOnlyItsData()
    {
        var engine = new FakeEngine();
        var result = CliRunner.Run(engine, "bench", "paper", "--quick", "--only", "gpt", "--out", Path.Combine(_dir, "out"),
            "--fashion-mnist", Path.Combine(_dir, "none"), "--tabular", Path.Combine(_dir, "none"), "--text", Text);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["gpt"], engine.PaperOptions!.Only!);
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "bench", "paper", "--only", "rnn", "--out", Path.Combine(_dir, "o2")), "--only 'rnn'");
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "bench", "paper", "--seeds", "1,1", "--out", Path.Combine(_dir, "o3")), "--seeds");
    }

    [Fact]
    public void TheTableEndsWithTheReportPath()
    {
        var engine = new FakeEngine();
        var result = CliRunner.Run(engine, "bench", "paper", "--out", Path.Combine(_dir, "out"), "--fashion-mnist", _dir, "--tabular", Tabular, "--text", Text);

        Assert.Equal(0, result.ExitCode);
        Assert.False(engine.PaperOptions!.IsQuick);
        Assert.Contains("where Occam loses: Occam (test loss 0.3000", result.Output, StringComparison.Ordinal);
        Assert.Contains("report written to", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFashionMnistIsAUsageError() => CliRunner.AssertUsageError(
        CliRunner.Run(new FakeEngine(), "bench", "paper", "--quick", "--out", Path.Combine(_dir, "out"), "--fashion-mnist", Path.Combine(_dir, "none"),
            "--tabular", Tabular, "--text", Text),
        "--fashion-mnist");

    [Fact]
    public void AMissingCorpusIsAUsageError() => CliRunner.AssertUsageError(
        CliRunner.Run(new FakeEngine(), "bench", "paper", "--quick", "--out", Path.Combine(_dir, "out"), "--fashion-mnist", _dir,
            "--tabular", Tabular, "--text", Path.Combine(_dir, "none.txt")),
        "--text");

    [Fact]
    public void AMissingTabularSetIsAUsageError() => CliRunner.AssertUsageError(
        CliRunner.Run(new FakeEngine(), "bench", "paper", "--quick", "--out", Path.Combine(_dir, "out"), "--fashion-mnist", _dir,
            "--tabular", _dir, "--text", Text),
        "iris.csv");

    [Fact]
    public void ANonEmptyOutputIsAUsageError()
    {
        File.WriteAllText(Path.Combine(_dir, "x"), "");
        CliRunner.AssertUsageError(
            CliRunner.Run(new FakeEngine(), "bench", "paper", "--out", _dir, "--fashion-mnist", _dir, "--tabular", Tabular, "--text", Text),
            "not empty");
    }

    [Fact]
    public void OutIsRequired() => CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "bench", "paper", "--quick"), "--out");
}
