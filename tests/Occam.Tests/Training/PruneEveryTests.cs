using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Tests.Data;
using Occam.Training;
using Occam.Training.Checkpoints;

namespace Occam.Tests.Training;

/// <summary>A step cadence (<see cref="TrainerOptions.PruneEvery"/>): its decision rows, its held-out subsample, its resume.</summary>
public class PruneEveryTests
{
    private static readonly Dataset Train = SyntheticClassification.Create(300, informative: 4, noise: 8, classes: 3, seed: 11);
    private static readonly Dataset Test = SyntheticClassification.Create(90, informative: 4, noise: 8, classes: 3, seed: 12);

    // Dense kernels: which kernels a pruned layer runs is otherwise chosen by timing this CPU, and they round differently.
    private static Sequential Model() => Sequential.Create([12], 7, new Dense(32) { KernelPath = KernelPath.Dense }, new ReLU(),
        new Dense(3) { KernelPath = KernelPath.Dense });

    private static TrainerOptions Options(string method, int? pruneEvery, int epochs = 6) => new()
    {
        Epochs = epochs,
        BatchSize = 32,
        Seed = 4,
        LearningRate = 1e-2f,
        Schedule = PruningMethods.Find(method).CreateSchedule(new PruningMethodOptions { RoundEpochs = 2 }),
        Method = method,
        PruneEvery = pruneEvery,
    };

    [Theory]
    [InlineData("imp", 4)]
    [InlineData("gmp", 7)]
    [InlineData("dense", 4)]
    public void EachDecisionPointWritesOneRowAtItsStep(string method, int every)
    {
        var run = new Trainer(Options(method, every)).Run(Model(), Train, Test);

        int batches = (run.TrainExamples + 31) / 32;
        long[] expectedSteps = [.. Enumerable.Range(1, 6 * batches / every).Select(i => (long)i * every)];
        var decisions = run.Epochs.Where(r => r.Stage == "decision").ToList();
        Assert.Equal(expectedSteps, decisions.Select(r => r.Step!.Value));
        Assert.All(decisions, r =>
        {
            Assert.Equal((double)r.Step!.Value / batches, r.EpochFraction);
            Assert.Equal((int)((r.Step.Value - 1) / batches) + 1, r.Epoch);
            Assert.Equal(run.HoldoutExamples, r.HoldoutEvaluated);
            Assert.NotNull(r.TrainLoss);
        });
        Assert.DoesNotContain(run.Epochs, r => r.Stage == "train");
        if (method != "dense")
        {
            Assert.Contains(decisions, r => r.PrunableDensity < 1);
            return;
        }

        // Each row counts the examples of its own steps, across epoch ends too: together, those of every judged step.
        int lastBatch = run.TrainExamples - ((batches - 1) * 32);
        long judgedExamples = Enumerable.Range(0, expectedSteps.Length * every).Sum(s => s % batches == batches - 1 ? lastBatch : 32L);
        long macs = run.Epochs[0].TrainFlopsDense / (6L * Enumerable.Range(0, every).Sum(s => s % batches == batches - 1 ? lastBatch : 32L));
        Assert.Equal(FlopCount.Training(macs, judgedExamples), decisions.Sum(r => r.TrainFlopsDense));
    }

    [Fact]
    public void ASubsampleOfTheHeldOutSetJudgesEachDecisionAndItsSizeIsRecorded()
    {
        var options = Options("occam", 5) with { HoldoutSubsample = 12 };
        var run = new Trainer(options).Run(Model(), Train, Test);
        var full = new Trainer(Options("occam", 5)).Run(Model(), Train, Test);

        Assert.Equal(30, run.HoldoutExamples);
        Assert.All(run.Epochs, r => Assert.Equal(12, r.HoldoutEvaluated));
        Assert.All(full.Epochs, r => Assert.Equal(30, r.HoldoutEvaluated));
        Assert.NotEqual(full.Epochs[0].HoldoutLoss, run.Epochs[0].HoldoutLoss);
    }

    [Fact]
    public void ASubsampleWithoutACadenceIsRefused() =>
        Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions { HoldoutSubsample = 5 }));

    [Fact]
    public void ACadenceLongerThanTheRunIsBadInput() =>
        Assert.Throws<DataFormatException>(() => new Trainer(Options("occam", 10_000, epochs: 2)).Run(Model(), Train, Test));

    // Deciding every epoch's worth of steps is the default algorithm; without the option the rows are epoch rows as before.
    [Theory]
    [InlineData("occam-paper")]
    [InlineData("imp")]
    [InlineData("posthoc")]
    public void ACadenceOfOneEpochDecidesAsTheDefaultDoes(string method)
    {
        var byEpoch = new Trainer(Options(method, null)).Run(Model(), Train, Test);
        int batches = (byEpoch.TrainExamples + 31) / 32;
        var bySteps = new Trainer(Options(method, batches)).Run(Model(), Train, Test);

        Assert.All(byEpoch.Epochs, r => Assert.True(r.Step is null && r.EpochFraction is null && r.HoldoutEvaluated is null && r.Stage != "decision"));
        Assert.Equal(6, byEpoch.Epochs.Count(r => r.Stage == "train"));
        Assert.Equal(
            byEpoch.Epochs.Select(r => (r.Epoch, r.HoldoutLoss, r.TestLoss, r.PrunableDensity, r.PruneRate, r.Selected)),
            bySteps.Epochs.Select(r => (r.Epoch, r.HoldoutLoss, r.TestLoss, r.PrunableDensity, r.PruneRate, r.Selected)));
        Assert.Contains(byEpoch.Epochs, r => r.PrunableDensity < 1);
    }

    // Checkpoints under a cadence are written at epoch ends that are decision points (9 steps per epoch here: every
    // epoch end for a cadence of 3, epoch 4 for a cadence of 4), so a stop inside epoch 6 resumes from the last of them.
    [Theory]
    [InlineData(3, 5)]
    [InlineData(4, 4)]
    public void AStoppedCadenceRunResumesFromItsLastDecisionEpochEndBitIdentically(int every, int checkpointEpoch)
    {
        var expected = new Trainer(Options("gmp", every)).Run(Model(), Train, Test);
        Assert.Equal(270, expected.TrainExamples);

        using var dir = new TempDir();
        using var stop = new CancellationTokenSource();
        var progress = new ExactResumeTests.Hook(p =>
        {
            if (p.Epoch == 6 && p.Batch == 6 && p.Record is null)
            {
                stop.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() =>
            new Trainer(Options("gmp", every) with { CheckpointDirectory = dir.Path, Progress = progress }).Run(Model(), Train, Test, stop.Token));
        var info = Checkpoint.ReadInfo(dir.Path);
        Assert.Equal((checkpointEpoch, 0), (info.Epoch, info.Step));

        Assert.Throws<InvalidDataException>(() => new Trainer(Options("gmp", every + 1)).Resume(Model(), Train, Test, dir.Path));
        var resumed = Model();
        var actual = new Trainer(Options("gmp", every)).Resume(resumed, Train, Test, dir.Path);
        Assert.Equal(expected.Epochs.Select(r => r with { TrainSeconds = 0 }), actual.Epochs.Select(r => r with { TrainSeconds = 0 }));
        Assert.Equal(expected.SelectedEpoch, actual.SelectedEpoch);
        Assert.Contains(actual.Epochs, r => r.PrunableDensity < 1);
    }
}
