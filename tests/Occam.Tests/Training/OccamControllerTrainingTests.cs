using Occam.Benchmarks;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Training;
using Xunit.Abstractions;

namespace Occam.Tests.Training;

public class OccamControllerTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void ControllerDoesNotEndWorseThanDenseGradientDescent()
    {
        // 4 informative and 28 noise features: a 32→64→3 MLP is larger than the task needs, and over-fits.
        var train = SyntheticClassification.Create(400, 4, 28, 3, seed: 1, spread: 1.2f);
        var test = SyntheticClassification.Create(600, 4, 28, 3, seed: 2, spread: 1.2f);
        Sequential Model() => Sequential.Create([32], 5, new Dense(64), new ReLU(), new Dense(3));
        var options = new TrainerOptions { Epochs = 15, Seed = 4, LearningRate = 1e-2f, HoldoutFraction = 0.2 };
        var denseModel = Model();
        var dense = new Trainer(options with { Schedule = new NoPruningSchedule() }).Run(denseModel, train);
        var occamModel = Model();
        var occam = new Trainer(options with { Schedule = PruningMethods.Find("occam").CreateSchedule() }).Run(occamModel, train);
        var (denseLoss, _) = TabularBenchmark.Score(denseModel, test);
        var (occamLoss, _) = TabularBenchmark.Score(occamModel, test);

        output.WriteLine($"dense: epoch {dense.SelectedEpoch}, held-out {dense.Best.HoldoutLoss:F4}, test {denseLoss:F4}");
        output.WriteLine($"occam: epoch {occam.SelectedEpoch}, held-out {occam.Best.HoldoutLoss:F4}, test {occamLoss:F4}, density {occam.Best.Density:F3}");

        // Selection is by held-out loss and the warm-up is plain GD, so Occam's held-out loss cannot exceed the dense
        // run's best up to its warm-up; on the test set it may differ by selection noise: 5 % relative.
        const double Tolerance = 0.05;
        Assert.True(occamLoss <= denseLoss * (1 + Tolerance), $"Occam test loss {occamLoss:F4} vs dense {denseLoss:F4}");
        Assert.True(occam.Best.HoldoutLoss <= dense.Best.HoldoutLoss * (1 + Tolerance));
        Assert.True(occam.Best.Density < 1, $"Occam never pruned (density {occam.Best.Density:F3})");
    }

    [Fact]
    public void RestoreWithoutACutPutsTheBestModelBack()
    {
        var model = Sequential.Create([12], 1, new Dense(16), new ReLU(), new Dense(3));
        var holdout = new Pruning.ScriptedHoldout(model.Parameters, new RestoreAt(2), totalEpochs: 5);
        var weights = model.Parameters[0].Value.Span;
        holdout.End(0.5);
        float best = weights[0];
        weights[0] = best + 1f;
        Assert.False(holdout.End(0.9).Pruned);
        Assert.Equal(best, weights[0]);
        Assert.Equal(1.0, holdout.Pruner.Masks.Density);
    }

    private sealed class RestoreAt(int epoch) : IPruningSchedule
    {
        public string Name => "restore";

        public PruningDecision Decide(PruningContext context) =>
            new() { RestoreBestFirst = context.Epoch == epoch };
    }
}
