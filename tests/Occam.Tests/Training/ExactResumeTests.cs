using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Tests.Data;
using Occam.Training;
using Occam.Training.Checkpoints;

namespace Occam.Tests.Training;

/// <summary>
/// Every method resumes exactly: a run stopped (as Ctrl-C stops it) at every epoch boundary, and at a step inside every
/// epoch (whose checkpoint then holds that step's state), then resumed from its checkpoint on a model built from another seed, gives every epoch record and the final weights and masks bit
/// for bit as the uninterrupted run. The model is large enough for its hidden layer to run the sparse kernels once
/// pruned (whose optimiser moments live in compact form), and uses dropout.
/// </summary>
public class ExactResumeTests
{
    private const int Epochs = 10;
    private static readonly Dataset Train = SyntheticClassification.Create(300, informative: 4, noise: 8, classes: 3, seed: 11);
    private static readonly Dataset Test = SyntheticClassification.Create(90, informative: 4, noise: 8, classes: 3, seed: 12);

    // Crossovers the layers use instead of this machine's calibration, so every run here switches to the sparse kernels
    // (and Adam to its compact state, what this test is about) at the same density.
    private const double TrainingCrossover = 0.4;

    private static Sequential Model(int seed)
    {
        var model = Sequential.Create([12], seed, new Dense(128), new ReLU(), new Dropout(0.1f, seed: 5), new Dense(128), new ReLU(), new Dense(3));
        foreach (var dense in model.Layers.OfType<Dense>())
        {
            dense.Kernels.Pinned = (TrainingCrossover, 0.35);
        }

        return model;
    }

    private static TrainerOptions Options(string method, string? directory, IProgress<TrainingProgress>? progress = null) => new()
    {
        Epochs = Epochs,
        BatchSize = 32,
        Seed = 4,
        LearningRate = 1e-2f,
        Schedule = PruningMethods.Find(method).CreateSchedule(new PruningMethodOptions { InitialRate = 0.75, RoundEpochs = 2, RewindEpoch = 1, TargetDensity = 0.1, FineTuneEpochs = 3 }),
        Method = method,
        CheckpointDirectory = directory,
        Progress = progress,
    };

    [Theory]
    [InlineData("occam")]
    [InlineData("occam-paper")]
    [InlineData("dense")]
    [InlineData("posthoc")]
    [InlineData("gmp")]
    [InlineData("imp")]
    public void StoppingAtAnyEpochBoundaryOrStepAndResumingIsBitIdentical(string method)
    {
        var whole = Model(1);
        var expected = new Trainer(Options(method, null)).Run(whole, Train, Test);
        if (method != "dense")
        {
            // Otherwise the compact (sparse-kernel) state this test is about would never be exercised.
            Assert.True(expected.Epochs.Any(r => r.PrunableDensity <= TrainingCrossover && r.Epoch < Epochs - 1),
                "densities: " + string.Join(", ", expected.Epochs.Select(r => $"{r.Epoch}:{r.Stage}:{r.PrunableDensity:F2}")));
        }

        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            // After epoch `epoch`'s record (its checkpoint follows), and after the 5th step of the next epoch.
            foreach (int step in new[] { 0, 5 })
            {
                using var dir = new TempDir();
                using var stop = new CancellationTokenSource();
                int stopEpoch = epoch, stopStep = step;
                var progress = new Hook(p =>
                {
                    bool boundary = stopStep == 0 && p.Record is { } r && r.Epoch == stopEpoch;
                    bool midEpoch = stopStep > 0 && p.Record is null && p.Epoch == stopEpoch + 1 && p.Batch == stopStep;
                    if (boundary || midEpoch)
                    {
                        stop.Cancel();
                    }
                });
                string where = $"{method} stopped after epoch {epoch}" + (step > 0 ? $", step {step}" : "");
                if (epoch == 0 && step == 0)
                {
                    // No record marks epoch 0: stop at the first step instead, which resumes from the epoch-0 checkpoint.
                    stopStep = 1;
                }

                Assert.Throws<OperationCanceledException>(() =>
                    new Trainer(Options(method, dir.Path, progress)).Run(Model(1), Train, Test, stop.Token));
                // Stopped inside an epoch, the checkpoint holds the state after that step, and the resume continues there.
                var info = Checkpoint.ReadInfo(dir.Path);
                Assert.Equal((epoch, stopStep), (info.Epoch, info.Step));

                var resumed = Model(99);
                int firstStep = 0;
                var watch = new Hook(p => firstStep = firstStep == 0 && p.Record is null ? p.Batch : firstStep);
                var actual = new Trainer(Options(method, null, watch)).Resume(resumed, Train, Test, dir.Path);
                Assert.True(firstStep == stopStep + 1, $"{where}: the resume's first step was {firstStep}");

                Assert.True(expected.Epochs.Count == actual.Epochs.Count, $"{where}: {actual.Epochs.Count} records, expected {expected.Epochs.Count}");
                for (int i = 0; i < expected.Epochs.Count; i++)
                {
                    Assert.True(expected.Epochs[i] with { TrainSeconds = 0 } == actual.Epochs[i] with { TrainSeconds = 0 },
                        $"{where}: record {i} differs\n{expected.Epochs[i]}\n{actual.Epochs[i]}");
                }

                Assert.Equal(expected.SelectedEpoch, actual.SelectedEpoch);
                CheckpointTests.AssertSameParameters(whole, resumed);
            }
        }
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("occam")]
    public void TextRunsResumeOnTheSameHeldOutRegion(string method)
    {
        // The resumed run reloads its windows, as `occam train --resume` does: the split must come out the same.
        TextCorpus corpus = TextCorpus.FromText(string.Concat(Enumerable.Range(0, 60).Select(i => $"Verse {i}: in the beginning was the word.\n")));
        Dataset Windows() => corpus.TrainingWindows(160, 8, 0.1, seed: 2);
        Dataset test = corpus.ValidationWindows(32, 8, seed: 3);
        Gpt Model(int seed) => Gpt.Create(corpus.VocabularySize, 8, 1, 2, 16, seed);
        var options = Options(method, null) with { Epochs = 4, LearningRate = 3e-3f };
        var whole = Model(1);
        var expected = new Trainer(options).Run(whole, Windows(), test);
        Assert.Equal((144, 16), (expected.TrainExamples, expected.HoldoutExamples));
        Assert.StartsWith("contiguous: 16 held-out windows in characters [", expected.HoldoutSplit, StringComparison.Ordinal);

        using var dir = new TempDir();
        using var stop = new CancellationTokenSource();
        var progress = new Hook(p =>
        {
            if (p.Record is null && p.Epoch == 3 && p.Batch == 2)
            {
                stop.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => new Trainer(options with { CheckpointDirectory = dir.Path, Progress = progress }).Run(Model(1), Windows(), test, stop.Token));
        var resumed = Model(99);
        var actual = new Trainer(options).Resume(resumed, Windows(), test, dir.Path);

        Assert.Equal(expected.HoldoutSplit, actual.HoldoutSplit);
        Assert.Equal(expected.Epochs.Select(r => r with { TrainSeconds = 0 }), actual.Epochs.Select(r => r with { TrainSeconds = 0 }));
        CheckpointTests.AssertSameParameters(whole, resumed);
    }

    internal sealed class Hook(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
