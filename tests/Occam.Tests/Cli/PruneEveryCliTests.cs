using Occam.Tests.Data;
using Occam.Training;

namespace Occam.Tests.Cli;

/// <summary><c>occam train --prune-every N</c>: decision rows in the run records, and a cadence the data cannot reach refused.</summary>
public sealed class PruneEveryCliTests
{
    [Fact]
    public void TrainWritesOneDecisionRowPerDecisionPointWithItsHeldOutSubsample()
    {
        using var dir = new TempDir();
        string run = Path.Combine(dir.Path, "run");
        var result = CliRunner.Run("train", "--data", "digits", "--epochs", "2", "--threads", "1", "--prune-every", "15",
            "--holdout-subsample", "40", "--out", run);
        Assert.True(result.ExitCode == 0, result.Error);

        var summary = RunSummary.Read(run);
        int steps = 2 * ((summary.TrainExamples + 31) / 32);
        var decisions = summary.Epochs.Where(r => r.Stage == "decision").ToList();
        Assert.Equal(steps / 15, decisions.Count);
        Assert.Equal(Enumerable.Range(1, steps / 15).Select(i => (long?)(15 * i)), decisions.Select(r => r.Step));
        Assert.All(summary.Epochs, r => Assert.Equal(40, r.HoldoutEvaluated));
        Assert.Equal(summary.Epochs.Count, File.ReadAllLines(Path.Combine(run, RunRecorder.EpochsFileName)).Length);
    }

    [Fact]
    public void ACadenceLongerThanTheRunIsOneLineWithExitCode2AndNoOutput()
    {
        using var dir = new TempDir();
        string run = Path.Combine(dir.Path, "run");
        CliRunner.AssertUsageError(
            CliRunner.Run("train", "--data", "digits", "--epochs", "1", "--threads", "1", "--prune-every", "100000", "--out", run),
            "pruning every 100000 steps exceeds the run's");
        Assert.False(Directory.Exists(run));
    }
}
