using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;
using Occam.Tensors;
using Occam.Tests.Data;
using Occam.Training;
using Occam.Training.Checkpoints;

namespace Occam.Tests.Training;

public class CheckpointTests
{
    private static readonly Dataset Data = SyntheticClassification.Create(300, informative: 4, noise: 8, classes: 3, seed: 7);

    private static Sequential Model(int seed, KernelPath kernels = KernelPath.Automatic) =>
        Sequential.Create([12], seed, new Dense(24) { KernelPath = kernels }, new ReLU(), new Dropout(0.2f, seed: 5), new Dense(3) { KernelPath = kernels });

    private static TrainerOptions Options(string method, string? directory) => new()
    {
        Epochs = 6,
        BatchSize = 16,
        Seed = 3,
        LearningRate = 3e-3f,
        Schedule = PruningMethods.Find(method).CreateSchedule(new PruningMethodOptions { RoundEpochs = 2, RewindEpoch = 1 }),
        Method = method,
        CheckpointDirectory = directory,
        CheckpointMetadata = new Dictionary<string, string> { ["model"] = "mlp:24" },
    };

    [Theory]
    [InlineData("occam", KernelPath.Automatic)]
    [InlineData("imp", KernelPath.Automatic)]
    [InlineData("posthoc", KernelPath.Automatic)]
    [InlineData("occam", KernelPath.Sparse)]
    [InlineData("imp", KernelPath.Sparse)]
    [InlineData("posthoc", KernelPath.Sparse)]
    [InlineData("imp", KernelPath.Dense)]
    public void ResumingAfterAnInterruptionEndsBitIdenticalToAnUninterruptedRun(string method, KernelPath kernels)
    {
        using var dir = new TempDir();
        var whole = Model(1, kernels);
        var expected = new Trainer(Options(method, null)).Run(whole, Data);

        // Interrupt after epoch 3's checkpoint (cancellation is seen at epoch 4's first batch).
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Record is { Epoch: 3 })
            {
                cancel.Cancel();
            }
        });
        var interrupted = Model(1, kernels);
        Assert.Throws<OperationCanceledException>(() =>
            new Trainer(Options(method, dir.Path) with { Progress = progress }).Run(interrupted, Data, cancellationToken: cancel.Token));
        Assert.Equal(3, Checkpoint.ReadInfo(dir.Path).Epoch);

        // A model built from another seed: everything must come from the checkpoint.
        var resumed = Model(99, kernels);
        var actual = new Trainer(Options(method, null)).Resume(resumed, Data, null, dir.Path);

        AssertSameParameters(whole, resumed);
        Assert.Equal(expected.SelectedEpoch, actual.SelectedEpoch);
        Assert.Equal(expected.Epochs.Count, actual.Epochs.Count);
        for (int i = 0; i < expected.Epochs.Count; i++)
        {
            Assert.Equal(expected.Epochs[i].HoldoutLoss, actual.Epochs[i].HoldoutLoss);
            Assert.Equal(expected.Epochs[i].PrunableNonzeroParams, actual.Epochs[i].PrunableNonzeroParams);
        }
    }

    [Fact]
    public void CheckpointHoldsTheRunAndItsMetadataAfterEveryEpoch()
    {
        using var dir = new TempDir();
        var summary = new Trainer(Options("occam", dir.Path)).Run(Model(1), Data);
        var info = Checkpoint.ReadInfo(dir.Path);
        Assert.Equal(summary.Epochs[^1].Epoch, info.Epoch);
        Assert.True(info.Finished);
        Assert.Equal("mlp:24", info.Metadata["model"]);
        Assert.Equal(summary.Epochs.Count, info.Records.Count);
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias"], info.ParameterNames);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void ResumingAFinishedRunOnlySelectsTheSameModel()
    {
        using var dir = new TempDir();
        var first = Model(1);
        var expected = new Trainer(Options("occam", dir.Path)).Run(first, Data);
        var again = Model(2);
        var actual = new Trainer(Options("occam", dir.Path) with { Resume = true }).Run(again, Data);
        AssertSameParameters(first, again);
        Assert.Equal(expected.SelectedEpoch, actual.SelectedEpoch);
    }

    [Fact]
    public void ResumeRefusesOtherSettingsAMissingCheckpointAndAnotherArchitecture()
    {
        using var dir = new TempDir();
        Assert.Throws<FileNotFoundException>(() => new Trainer(Options("occam", dir.Path) with { Resume = true }).Run(Model(1), Data));
        new Trainer(Options("occam", dir.Path) with { Epochs = 2 }).Run(Model(1), Data);
        var otherSeed = Assert.Throws<InvalidDataException>(() => new Trainer(Options("occam", dir.Path) with { Epochs = 2, Seed = 4, Resume = true }).Run(Model(1), Data));
        Assert.Contains("other settings", otherSeed.Message, StringComparison.Ordinal);
        var wider = Sequential.Create([12], 1, new Dense(25), new ReLU(), new Dropout(0.2f, seed: 5), new Dense(3));
        Assert.Throws<InvalidDataException>(() => new Trainer(Options("occam", dir.Path) with { Epochs = 2, Resume = true }).Run(wider, Data));
    }

    [Fact]
    public void DivergenceRestoresTheLastGoodEpochHalvesTheRateAndCarriesOn()
    {
        // The optimiser poisons a weight at step 40 while the rate is above 0.05: once halved, the run recovers.
        var options = Options("dense", null) with
        {
            LearningRate = 0.08f,
            OptimizerFactory = (parameters, rate) => new PoisoningSgd(parameters, rate, poisonStep: 40, poisonAbove: 0.05f),
        };
        var model = Model(1);
        var summary = new Trainer(options).Run(model, Data);
        var divergence = Assert.Single(summary.Divergences);
        Assert.Equal(3, divergence.Epoch); // 17 batches per epoch: step 40 is in epoch 3
        Assert.Equal(2, divergence.RestoredEpoch);
        Assert.Equal(0.04, divergence.LearningRate, 6);
        Assert.Equal([1, 2, 3, 4, 5, 6], summary.Epochs.Select(e => e.Epoch));
        Assert.All(summary.Epochs, e => Assert.True(double.IsFinite(e.HoldoutLoss)));
        Assert.All(model.Parameters, p => Assert.True(System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(p.Value.Span)));
        Assert.Equal(0.04, summary.Epochs[^1].LearningRate, 6);
    }

    [Fact]
    public void ADivergenceAfterResumingInsideAnEpochRestoresThatEpochsStartAsTheUninterruptedRunDoes()
    {
        TrainerOptions Poisoned(string? directory) => Options("dense", directory) with
        {
            LearningRate = 0.08f,
            OptimizerFactory = (parameters, rate) => new PoisoningSgd(parameters, rate, poisonStep: 40, poisonAbove: 0.05f),
        };
        var whole = Model(1);
        var expected = new Trainer(Poisoned(null)).Run(whole, Data);

        // Stopped after step 3 of epoch 3 (step 37 of the run), before the poisoned step 40 of the same epoch.
        using var dir = new TempDir();
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p is { Epoch: 3, Batch: 3, Record: null })
            {
                cancel.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() =>
            new Trainer(Poisoned(dir.Path) with { Progress = progress }).Run(Model(1), Data, cancellationToken: cancel.Token));
        Assert.Equal((2, 3), (Checkpoint.ReadInfo(dir.Path).Epoch, Checkpoint.ReadInfo(dir.Path).Step));

        var resumed = Model(99);
        var actual = new Trainer(Poisoned(null)).Resume(resumed, Data, null, dir.Path);
        Assert.Equal(2, Assert.Single(actual.Divergences).RestoredEpoch);
        Assert.Equal(expected.Divergences, actual.Divergences);
        Assert.Equal(expected.Epochs.Select(e => e with { TrainSeconds = 0 }), actual.Epochs.Select(e => e with { TrainSeconds = 0 }));
        AssertSameParameters(whole, resumed);
    }

    [Fact]
    public void ThirdDivergenceStopsWithAClearError()
    {
        var options = Options("dense", null) with
        {
            LearningRate = 0.08f,
            OptimizerFactory = (parameters, rate) => new PoisoningSgd(parameters, rate, poisonStep: 40, poisonAbove: 0f),
        };
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(options).Run(Model(1), Data));
        Assert.Equal(3, error.Events.Count);
        Assert.Equal([0.04, 0.02, 0.01], error.Events.Select(e => Math.Round(e.LearningRate, 6)));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("diverged", error.Message, StringComparison.Ordinal);
    }

    internal static void AssertSameParameters(Layer expected, Layer actual)
    {
        Assert.Equal(expected.Parameters.Count, actual.Parameters.Count);
        for (int i = 0; i < expected.Parameters.Count; i++)
        {
            var e = expected.Parameters[i];
            var a = actual.Parameters[i];
            Assert.True(e.Value.Span.SequenceEqual(a.Value.Span), $"{e.Name} differs");
            Assert.Equal(e.Mask is null, a.Mask is null);
            if (e.Mask is not null)
            {
                Assert.True(e.Mask.Span.SequenceEqual(a.Mask!.Span), $"mask of {e.Name} differs");
            }
        }
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>Plain SGD that writes NaN into a weight at one step while the learning rate is above a threshold.</summary>
    private sealed class PoisoningSgd(IEnumerable<Parameter> parameters, float learningRate, long poisonStep, float poisonAbove)
        : Optimizer(parameters, learningRate, null)
    {
        public override void Step()
        {
            float lr = CurrentLearningRate;
            StepCount++;
            foreach (var p in Parameters)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(p.Grad.Span, -lr, p.Value.Span, p.Value.Span);
            }

            if (StepCount == poisonStep && lr > poisonAbove)
            {
                Parameters[0].Value.Span[0] = float.NaN;
            }
        }

        public override IReadOnlyList<Tensor> State(Parameter parameter) => [];
    }
}
