using System.Text.Json;
using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Training;
using Xunit.Abstractions;

namespace Occam.Tests.Training;

public class TrainerTests(ITestOutputHelper output)
{
    private static readonly Dataset SmallTrain = SyntheticClassification.Create(300, 4, 16, 3, seed: 1, spread: 0.8f);
    private static readonly Dataset SmallTest = SyntheticClassification.Create(200, 4, 16, 3, seed: 2, spread: 0.8f);

    private static Sequential SmallModel(int seed) => Sequential.Create([20], seed, new Dense(32), new ReLU(), new Dense(3));

    private static TrainerOptions Small(IPruningSchedule schedule, int epochs = 5) =>
        new() { Epochs = epochs, Seed = 3, LearningRate = 1e-2f, Schedule = schedule };

    [Fact]
    public void OccamOnAnOverParameterisedTaskIsSmallerAndNoWorseThanDenseGradientDescent()
    {
        // 6 informative and 58 noise features: a 64→256→3 MLP is far larger than the task needs.
        var train = SyntheticClassification.Create(600, 6, 58, 3, seed: 1, spread: 0.8f);
        Sequential Model() => Sequential.Create([64], 3, new Dense(256), new ReLU(), new Dense(3));
        var options = new TrainerOptions { Epochs = 12, Seed = 1, LearningRate = 1e-2f };
        var dense = new Trainer(options with { Schedule = new NoPruningSchedule() }).Run(Model(), train);
        var occam = new Trainer(options with { Schedule = new OccamPaperSchedule() }).Run(Model(), train);

        output.WriteLine($"dense: epoch {dense.SelectedEpoch}, held-out {dense.Best.HoldoutLoss:F4}, density {dense.Best.Density:F3}");
        output.WriteLine($"occam: epoch {occam.SelectedEpoch}, held-out {occam.Best.HoldoutLoss:F4}, density {occam.Best.Density:F3}");
        const double Tolerance = 0.02;
        Assert.True(occam.Best.Density < 0.5, $"Occam selected density {occam.Best.Density:F3}");
        Assert.True(occam.Best.HoldoutLoss <= dense.Best.HoldoutLoss + Tolerance,
            $"Occam held-out {occam.Best.HoldoutLoss:F4} vs dense {dense.Best.HoldoutLoss:F4}");
        Assert.Equal(1.0, dense.Best.Density);
        Assert.True(occam.InferenceFlops < dense.InferenceFlops / 2);
        Assert.True(occam.TotalTrainFlopsSparse < dense.TotalTrainFlopsSparse);
        Assert.Equal(dense.TotalTrainFlopsDense, occam.TotalTrainFlopsDense);
    }

    [Fact]
    public void TheTestSetNeverInfluencesSelection()
    {
        var scrambledLabels = (int[])SmallTest.Labels.Clone();
        new Random(1).Shuffle(scrambledLabels);
        var scrambled = new Dataset(SmallTest.Features, scrambledLabels, SmallTest.ClassCount);
        var a = SmallModel(7);
        var b = SmallModel(7);
        var runA = new Trainer(Small(new OccamPaperSchedule())).Run(a, SmallTrain, SmallTest);
        var runB = new Trainer(Small(new OccamPaperSchedule())).Run(b, SmallTrain, scrambled);

        Assert.Equal(runA.SelectedEpoch, runB.SelectedEpoch);
        Assert.Equal(runA.Epochs.Select(e => e.HoldoutLoss), runB.Epochs.Select(e => e.HoldoutLoss));
        Assert.NotEqual(runA.Best.TestLoss, runB.Best.TestLoss);
        for (int i = 0; i < a.Parameters.Count; i++)
        {
            Assert.Equal(a.Parameters[i].Value.Span.ToArray(), b.Parameters[i].Value.Span.ToArray());
        }
    }

    [Fact]
    public void TheSelectedEpochHasTheLowestHeldOutLossAndTheModelHoldsIt()
    {
        var model = SmallModel(2);
        var run = new Trainer(Small(new ConstantRateSchedule(0.5), epochs: 6)).Run(model, SmallTrain, SmallTest);
        Assert.Equal(run.Epochs.Min(e => e.HoldoutLoss), run.Best.HoldoutLoss);
        Assert.Single(run.Epochs, e => e.Selected);
        var check = new Evaluator().Evaluate(model, SmallTest);
        Assert.Equal(run.Best.TestLoss!.Value, check.Loss, 5);
        long nonzero = model.Parameters.Sum(p => (long)p.Value.Span.ToArray().Count(v => v != 0f));
        Assert.Equal(run.Best.NonzeroParams, nonzero);
        Assert.Equal(2 * model.MultiplyAccumulates(liveOnly: true), run.InferenceFlops);
    }

    [Fact]
    public void PostTrainingScheduleCutsTheSelectedModelThenFineTunes()
    {
        var run = new Trainer(Small(new OneShotSchedule(targetDensity: 0.3, fineTuneEpochs: 1), epochs: 4)).Run(SmallModel(4), SmallTrain, SmallTest);
        Assert.Equal(5, run.Epochs.Count);
        var cut = run.Epochs[3];
        Assert.Equal("pruned", cut.Stage);
        Assert.Equal(3, cut.Epoch);
        Assert.Equal(0.3, cut.PrunableDensity, 2);
        Assert.True(run.SelectedEpoch >= 3);
        Assert.Equal(0.3, run.Best.PrunableDensity, 2);
    }

    [Fact]
    public void EvaluationOnlyRunReportsTheModelAsGiven()
    {
        var run = new Trainer(Small(new NoPruningSchedule(), epochs: 0)).Run(SmallModel(5), SmallTrain, SmallTest);
        var only = Assert.Single(run.Epochs);
        Assert.Equal(0, only.Epoch);
        Assert.Equal("initial", only.Stage);
        Assert.Null(only.TrainLoss);
        Assert.Equal(0, run.TotalTrainFlopsSparse);
    }

    [Fact]
    public void IterativeMagnitudePruningRewindsAndShrinks()
    {
        var run = new Trainer(Small(new IterativeMagnitudeSchedule(0.5, roundEpochs: 2, rewindEpoch: 1), epochs: 5)).Run(SmallModel(6), SmallTrain);
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.25], run.Epochs.Select(e => Math.Round(e.PrunableDensity, 2)));
    }

    [Fact]
    public void ComparisonRunsEveryMethodOnTheSameSeeds()
    {
        var results = Comparison.Run(SmallModel, SmallTrain, SmallTest, Small(new OccamPaperSchedule(), epochs: 4), [11]);
        Assert.Equal(Comparison.Methods, results.Select(r => r.Method));
        var dense = results[0];
        var occam = results[1];
        Assert.All(results, r => Assert.Equal(11, r.Seed));
        Assert.Equal(1.0, dense.Best.PrunableDensity);
        Assert.True(occam.Best.PrunableDensity < 1.0);
        Assert.Equal(occam.Best.PrunableDensity, results[2].Best.PrunableDensity, 2);
        Assert.Equal(occam.Best.PrunableDensity, results[3].Best.PrunableDensity, 2);
        Assert.Equal(0, results[2].SelectedEpoch);
        Assert.Equal(1, results[3].SelectedEpoch);
        Assert.True(results[3].TotalTrainSeconds > dense.TotalTrainSeconds);
        Assert.Equal(dense.TotalTrainFlopsSparse, results[2].TotalTrainFlopsSparse);
    }

    [Fact]
    public void RecordsAreWrittenAsSnakeCaseJson()
    {
        string directory = Path.Combine(Path.GetTempPath(), "occam-records-" + Guid.NewGuid().ToString("N"));
        try
        {
            var progress = new List<TrainingProgress>();
            var options = Small(new OccamPaperSchedule(), epochs: 3) with
            {
                Recorder = new RunRecorder(directory),
                Progress = new SynchronousProgress(progress.Add),
            };
            var run = new Trainer(options).Run(SmallModel(8), SmallTrain, SmallTest);
            Assert.Equal(3, progress.Count(p => p.Record is not null));

            string[] lines = File.ReadAllLines(Path.Combine(directory, RunRecorder.EpochsFileName));
            Assert.Equal(3, lines.Length);
            string[] epochFields =
            [
                "epoch", "train_loss", "holdout_loss", "test_loss", "test_accuracy", "nonzero_params", "total_params", "density",
                "prune_rate", "zeta", "train_seconds", "train_flops_dense", "train_flops_sparse", "prunable_density", "learning_rate",
            ];
            using (var first = JsonDocument.Parse(lines[0]))
            {
                foreach (string field in epochFields)
                {
                    Assert.True(first.RootElement.TryGetProperty(field, out _), $"epochs.jsonl lacks {field}");
                }

                Assert.Equal(1, first.RootElement.GetProperty("epoch").GetInt32());
                Assert.Equal(0.4, first.RootElement.GetProperty("prune_rate").GetDouble());
            }

            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, RunRecorder.SummaryFileName)));
            var root = summary.RootElement;
            foreach (string field in new[] { "method", "epochs", "best", "total_params", "total_train_seconds", "total_train_flops_sparse", "inference_flops", "seed", "selected_epoch" })
            {
                Assert.True(root.TryGetProperty(field, out _), $"summary.json lacks {field}");
            }

            Assert.Equal("occam-paper", root.GetProperty("method").GetString());
            Assert.Equal(3, root.GetProperty("epochs").GetArrayLength());
            Assert.Equal(run.SelectedEpoch, root.GetProperty("best").GetProperty("epoch").GetInt32());
            Assert.Equal(run.InferenceFlops, root.GetProperty("inference_flops").GetInt64());
            Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
