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
    public void JsonPrintsTheResultsAndTheOutputHoldsTheReport()
    {
        var engine = new FakeEngine();
        string output = Path.Combine(_dir, "out");
        var result = CliRunner.Run(engine, "bench", "paper", "--quick", "--out", output, "--json",
            "--fashion-mnist", _dir, "--tabular", Tabular, "--text", Text);

        Assert.Equal(0, result.ExitCode);
        Assert.True(engine.PaperOptions!.IsQuick);
        using var json = JsonDocument.Parse(result.Output);
        Assert.StartsWith("occam bench paper --quick --out", json.RootElement.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
        Assert.True(File.Exists(Path.Combine(output, "results.json")));
        Assert.Empty(Directory.GetDirectories(_dir, ".*"));
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
