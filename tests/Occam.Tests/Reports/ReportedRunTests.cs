using Occam.Reports;

namespace Occam.Tests.Reports;

public sealed class ReportedRunTests : IDisposable
{
    private readonly string _root = RunFixtures.NewTemporaryDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ASingleRunIsNamedByItsMethod()
    {
        var written = RunFixtures.WriteRun(_root, "occam", epochs: 6);
        var run = Assert.Single(ReportedRun.ReadAll(_root));
        Assert.Equal("occam", run.Name);
        Assert.Equal(written.Epochs, run.Summary.Epochs);
    }

    [Fact]
    public void ReadsEveryRunOfAComparisonInNameOrder()
    {
        RunFixtures.WriteComparison(_root);
        Directory.CreateDirectory(Path.Combine(_root, "not-a-run"));
        var runs = ReportedRun.ReadAll(_root);
        Assert.Equal(["dense", "occam", "posthoc"], runs.Select(r => r.Name));
    }

    [Fact]
    public void NamesRunsThatShareAMethodByTheirDirectory()
    {
        RunFixtures.WriteRun(Path.Combine(_root, "seed1"), "occam");
        RunFixtures.WriteRun(Path.Combine(_root, "seed2"), "occam");
        var runs = ReportedRun.ReadAll(_root);
        Assert.Equal(["occam (seed1)", "occam (seed2)"], runs.Select(r => r.Name));
    }

    [Fact]
    public void ADirectoryWithoutRunsIsReported()
    {
        var e = Assert.Throws<InvalidDataException>(() => ReportedRun.ReadAll(_root));
        Assert.Contains("holds no run", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDirectoryIsReported() =>
        Assert.Throws<DirectoryNotFoundException>(() => ReportedRun.ReadAll(Path.Combine(_root, "absent")));
}
