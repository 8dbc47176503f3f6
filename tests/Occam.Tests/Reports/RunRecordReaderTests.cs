using Occam.Reports;

namespace Occam.Tests.Reports;

public sealed class RunRecordReaderTests : IDisposable
{
    private readonly string _root = RunFixtures.NewTemporaryDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ReadsASingleRunFromEpochLines()
    {
        RunFixtures.WriteRun(_root, "occam", epochs: 6);
        var runs = RunRecordReader.ReadRuns(_root);
        var run = Assert.Single(runs);
        Assert.Equal("occam", run.Method);
        Assert.Equal(6, run.Epochs.Count);
        Assert.Equal([1, 2, 3, 4, 5, 6], run.Epochs.Select(e => e.Epoch));
        Assert.Null(run.Epochs[0].Zeta);
        Assert.Equal(0.5, run.Epochs[3].Zeta);
        Assert.Equal(run.Epochs.MinBy(e => e.HoldoutLoss)!.Epoch, run.Best.Epoch);
        Assert.Equal(100_000, run.TotalParams);
        Assert.Equal(9.0, run.TotalTrainSeconds, 6);
    }

    [Fact]
    public void PrefersTheEpochListInsideTheSummary()
    {
        RunFixtures.WriteRun(_root, "dense", epochs: 4, prunes: false, summaryHoldsEpochs: true);
        File.Delete(Path.Combine(_root, RunRecordReader.EpochsFileName));
        var run = RunRecordReader.ReadRun(_root);
        Assert.Equal(4, run.Epochs.Count);
        Assert.All(run.Epochs, e => Assert.Equal(1.0, e.Density));
        Assert.All(run.Epochs, e => Assert.Null(e.PruneRate));
    }

    [Fact]
    public void ReadsEveryRunOfAComparisonInNameOrder()
    {
        RunFixtures.WriteComparison(_root);
        Directory.CreateDirectory(Path.Combine(_root, "not-a-run"));
        var runs = RunRecordReader.ReadRuns(_root);
        Assert.Equal(["dense", "occam", "posthoc"], runs.Select(r => r.Name));
    }

    [Fact]
    public void NamesRunsThatShareAMethodByTheirDirectory()
    {
        RunFixtures.WriteRun(Path.Combine(_root, "seed1"), "occam");
        RunFixtures.WriteRun(Path.Combine(_root, "seed2"), "occam");
        var runs = RunRecordReader.ReadRuns(_root);
        Assert.Equal(["occam (seed1)", "occam (seed2)"], runs.Select(r => r.Name));
    }

    [Fact]
    public void ADirectoryWithoutRunsIsReported()
    {
        var e = Assert.Throws<InvalidDataException>(() => RunRecordReader.ReadRuns(_root));
        Assert.Contains("holds no run", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDirectoryIsReported() =>
        Assert.Throws<DirectoryNotFoundException>(() => RunRecordReader.ReadRuns(Path.Combine(_root, "absent")));

    [Fact]
    public void MalformedJsonNamesTheFileAndLine()
    {
        RunFixtures.WriteRun(_root, "occam", epochs: 3);
        string epochs = Path.Combine(_root, RunRecordReader.EpochsFileName);
        File.AppendAllText(epochs, "{\"epoch\": 4, \"train_loss\": \n");
        var e = Assert.Throws<InvalidDataException>(() => RunRecordReader.ReadRun(_root));
        Assert.Contains("epochs.jsonl:4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFieldIsNamed()
    {
        RunFixtures.WriteRun(_root, "occam", epochs: 3);
        string summary = Path.Combine(_root, RunRecordReader.SummaryFileName);
        File.WriteAllText(summary, File.ReadAllText(summary).Replace("\"inference_flops\"", "\"other\"", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => RunRecordReader.ReadRun(_root));
        Assert.Contains("'inference_flops'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteValuesWrittenAsStringsAreAccepted()
    {
        RunFixtures.WriteRun(_root, "occam", epochs: 3);
        string epochs = Path.Combine(_root, RunRecordReader.EpochsFileName);
        string[] lines = File.ReadAllLines(epochs);
        lines[2] = lines[2].Replace("\"test_loss\":", "\"test_loss\":\"NaN\",\"ignored\":", StringComparison.Ordinal);
        File.WriteAllLines(epochs, lines);
        var run = RunRecordReader.ReadRun(_root);
        Assert.True(double.IsNaN(run.Epochs[2].TestLoss!.Value));
    }
}
