using System.Text.Json;
using Occam.Data;
using Occam.Tests.Data;
using Occam.Tests.Reports;
using Occam.Training;

namespace Occam.Tests.Training;

public sealed class RunSummaryReadTests : IDisposable
{
    private readonly string _root = RunFixtures.NewTemporaryDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Run folders the CLI wrote before this schema was shared (see the folder's README for the commands).</summary>
    public static string EarlierRuns => Path.Combine(TabularTests.RepositoryRoot(), "data", "runs-c24eb39");

    [Fact]
    public void WhatTheRecorderWritesReadsBackEqual()
    {
        var written = RunFixtures.WriteRun(_root, "occam", epochs: 6);
        var read = RunSummary.Read(_root);
        Assert.Equal(written.Epochs, read.Epochs);
        Assert.Equal(written.Best, read.Best);
        Assert.Equal(written with { Epochs = read.Epochs, Divergences = read.Divergences }, read);
    }

    [Fact]
    public void RegressionFieldsAndNonFiniteValuesSurviveTheRoundTrip()
    {
        var written = RunFixtures.WriteRun(_root, "dense", epochs: 2, prunes: false);
        var epoch = written.Best with
        {
            Task = LearningTask.Regression,
            TestAccuracy = null,
            TestLoss = double.NaN,
            HoldoutRmse = 1.5,
            HoldoutR2 = 0.25,
            TestMse = 4,
            TestRmse = 2,
            TestMae = 1.25,
            TestR2 = double.NegativeInfinity,
        };
        new RunRecorder(_root).RecordSummary(written with { Epochs = [epoch], Best = epoch, Task = LearningTask.Regression, Loss = "huber" });

        var read = RunSummary.Read(_root);
        Assert.Equal(LearningTask.Regression, read.Task);
        Assert.Equal("huber", read.Loss);
        Assert.Equal(epoch, read.Best);
        Assert.Equal(epoch, Assert.Single(read.Epochs));
        Assert.DoesNotContain("accuracy", File.ReadAllText(Path.Combine(_root, RunRecorder.SummaryFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFieldIsNamedWithItsFile()
    {
        RunFixtures.WriteRun(_root, "occam", epochs: 3);
        string summary = Path.Combine(_root, RunRecorder.SummaryFileName);
        File.WriteAllText(summary, File.ReadAllText(summary).Replace("\"inference_flops\"", "\"other\"", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => RunSummary.Read(_root));
        Assert.Contains("summary.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("'inference_flops'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedJsonIsInvalidData()
    {
        File.WriteAllText(Path.Combine(_root, RunRecorder.SummaryFileName), "{\"method\": \"occam\", \"epochs\": [");
        var e = Assert.Throws<InvalidDataException>(() => RunSummary.Read(_root));
        Assert.Contains("summary.json: not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iris", LearningTask.Classification)]
    [InlineData("servo", LearningTask.Regression)]
    public void RunsWrittenByTheEarlierWriterReadAndRewriteByteForByte(string run, LearningTask task)
    {
        string directory = Path.Combine(EarlierRuns, run);
        var summary = RunSummary.Read(directory);

        Assert.Equal("occam", summary.Method);
        Assert.Equal(task, summary.Task);
        Assert.Equal(File.ReadAllLines(Path.Combine(directory, RunRecorder.EpochsFileName)).Length, summary.Epochs.Count);
        Assert.Equal(summary.SelectedEpoch, summary.Best.Epoch);
        Assert.Contains(summary.Best, summary.Epochs);
        Assert.All(summary.Epochs, e => Assert.True(e.TrainFlopsDense > 0));
        Assert.Equal(task == LearningTask.Regression, summary.Best.TestRmse is not null);
        // Same fields, same values, same order: the one type reads everything the earlier writer wrote.
        Assert.Equal(File.ReadAllText(Path.Combine(directory, RunRecorder.SummaryFileName)), JsonSerializer.Serialize(summary, RunJson.Indented) + "\n");
    }
}
