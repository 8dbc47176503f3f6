using System.Text.Json;
using Occam.Benchmarks;
using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Training;

namespace Occam.Tests.Training;

public class RegressionTrainingTests
{
    [Fact]
    public void MetricsMatchHandComputedValues()
    {
        var scores = RegressionMetrics.Compute([1.0, 2.0, 5.0], [1.0, 3.0, 2.0]);
        // Errors 0, −1, 3: MSE 10/3, MAE 4/3; actual mean 2, SST 2, so R² = 1 − 10/2 = −4.
        Assert.Equal(10.0 / 3, scores.Mse, 12);
        Assert.Equal(Math.Sqrt(10.0 / 3), scores.Rmse, 12);
        Assert.Equal(4.0 / 3, scores.Mae, 12);
        Assert.Equal(-4.0, scores.R2, 12);
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1.0], [1.0, 2.0]));
    }

    [Fact]
    public void TargetScalingRoundTrips()
    {
        var scaling = TargetScaling.Fit([10.0, 14.0, 12.0, 16.0]);
        Assert.Equal(13.0, scaling.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0), scaling.Std, 12);
        Assert.Equal(15.5, scaling.ToOriginal(scaling.ToStandard(15.5)), 5);
        Assert.Equal(1.0, TargetScaling.Fit([3.0, 3.0]).Std);
    }

    [Fact]
    public void LinearRegressionTrainsAndReportsOriginalUnits()
    {
        var problem = SparseLinearRegression.Create(features: 20, nonzero: 3, trainCount: 300, testCount: 300, noise: 0.5, seed: 3);
        var model = Sequential.Create([20], 1, new Dense(1));
        var options = new TrainerOptions { Epochs = 30, Seed = 2, LearningRate = 1e-2f, Schedule = new NoPruningSchedule() };
        var summary = new Trainer(options).Run(model, problem.Train, problem.Test);

        var best = summary.Best;
        Assert.Equal(LearningTask.Regression, summary.Task);
        Assert.Equal("mse", summary.Loss);
        Assert.Null(best.TestAccuracy);
        // The noise has std 0.5: a fitted linear model gets near it, and explains nearly all the variance.
        Assert.InRange(best.TestRmse!.Value, 0.45, 0.65);
        Assert.True(best.TestR2 > 0.95, $"R² {best.TestR2}");
        Assert.Equal(best.TestMse!.Value, best.TestRmse.Value * best.TestRmse.Value, 9);
        // The loss is on standardised targets; the metrics are in original units (× the training std).
        double std = problem.Train.TargetScaling!.Std;
        Assert.Equal(best.TestMse.Value, best.TestLoss!.Value * std * std, 3);
        Assert.True(best.TestMae < best.TestRmse);
        // The held-out split is drawn from the same distribution: its RMSE, in original units too, is near the noise.
        Assert.InRange(best.HoldoutRmse!.Value, 0.35, 0.75);
        Assert.Equal(best.HoldoutRmse.Value * best.HoldoutRmse.Value, best.HoldoutLoss * std * std, 3);
        Assert.True(best.HoldoutR2 > 0.9, $"held-out R² {best.HoldoutR2}");

        string epoch = JsonSerializer.Serialize(best, RunJson.Compact);
        Assert.Contains("\"test_rmse\":", epoch, StringComparison.Ordinal);
        Assert.Contains("\"test_r2\":", epoch, StringComparison.Ordinal);
        Assert.Contains("\"holdout_rmse\":", epoch, StringComparison.Ordinal);
        Assert.Contains("\"holdout_r2\":", epoch, StringComparison.Ordinal);
        Assert.Contains("\"task\":\"regression\"", epoch, StringComparison.Ordinal);
        Assert.DoesNotContain("accuracy", epoch, StringComparison.Ordinal);
        Assert.Contains("\"task\": \"regression\"", JsonSerializer.Serialize(summary, RunJson.Indented), StringComparison.Ordinal);
    }

    [Fact]
    public void ClassificationRecordsCarryNoRegressionFields()
    {
        var train = SyntheticClassification.Create(120, 2, 2, 2, seed: 1);
        var model = Sequential.Create([4], 1, new Dense(2));
        var summary = new Trainer(new TrainerOptions { Epochs = 1 }).Run(model, train, train);
        string json = JsonSerializer.Serialize(summary, RunJson.Indented);
        Assert.Contains("\"test_accuracy\":", json, StringComparison.Ordinal);
        Assert.DoesNotContain("task", json, StringComparison.Ordinal);
        Assert.DoesNotContain("test_mse", json, StringComparison.Ordinal);
        Assert.DoesNotContain("holdout_rmse", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"loss\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void HuberLossIsUsedWhenItsDeltaIsGiven()
    {
        var problem = SparseLinearRegression.Create(features: 5, nonzero: 2, trainCount: 100, testCount: 50, seed: 4);
        var model = Sequential.Create([5], 1, new Dense(1));
        var summary = new Trainer(new TrainerOptions { Epochs = 2, HuberDelta = 1.0 }).Run(model, problem.Train, problem.Test);
        Assert.Equal("huber", summary.Loss);
    }
}
