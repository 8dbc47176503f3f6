using System.Globalization;
using System.Text;
using System.Text.Json;
using Occam.Baselines;
using Occam.Benchmarks;
using Occam.Data;

namespace Occam.Tests.Cli;

public sealed class BenchTabularRegressionTests : IDisposable
{
    private static readonly string[] NetworkMethods = ["occam", "occam_paper", "dense", "posthoc"];

    private readonly string _dir = Directory.CreateTempSubdirectory("occam-bench-regression").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RegressionJsonHasRmseAndR2InPlaceOfLogLossAndAccuracy()
    {
        File.WriteAllText(Path.Combine(_dir, "a.csv"), "x,target\n1,2\n");
        var engine = new FakeEngine();
        var result = CliRunner.Run(engine, "bench", "tabular", "--task", "regression", "--data", _dir, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(LearningTask.Regression, engine.LastBenchmarkTask);
        using var line = JsonDocument.Parse(Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        foreach (string key in new[] { "occam", "occam_paper", "dense", "posthoc", "rf", "gbdt" })
        {
            var method = line.RootElement.GetProperty(key);
            Assert.Equal(["rmse", "r2", "size", "density", "seconds"], method.EnumerateObject().Select(p => p.Name).ToArray());
        }

        // The fake engine gives dense the lowest RMSE and the highest R².
        var table = CliRunner.Run(engine, "bench", "tabular", "--task", "regression", "--data", _dir);
        Assert.Contains("Wins by RMSE: occam 0, occam_paper 0, dense 1,", table.Output, StringComparison.Ordinal);
        Assert.Contains("Wins by R²: occam 0, occam_paper 0, dense 1,", table.Output, StringComparison.Ordinal);
        CliRunner.AssertUsageError(CliRunner.Run(engine, "bench", "tabular", "--task", "rank", "--data", _dir), "--task 'rank'");
    }

    [Fact]
    public void TheLibraryBenchmarkScoresRegressionNetworksAndTreesInOriginalUnits()
    {
        string csv = Path.Combine(_dir, "line.csv");
        var text = new StringBuilder("x,z,target\n");
        var random = new Random(3);
        for (int i = 0; i < 150; i++)
        {
            double x = random.NextDouble() * 10, z = random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"{x:F4},{z:F4},{1000 + (30 * x) + random.NextDouble():F4}\n");
        }

        File.WriteAllText(csv, text.ToString());
        var options = new TabularBenchmarkOptions { Task = LearningTask.Regression, Seeds = [0, 1], Epochs = 15, HiddenUnits = [16], LearningRate = 1e-2f };
        var result = TabularBenchmark.Run(csv, options);

        Assert.Equal(LearningTask.Regression, result.Task);
        Assert.Equal(1, result.Classes);
        foreach (string key in NetworkMethods)
        {
            var m = result.Methods[key];
            Assert.Equal(2, m.Seeds.Count);
            // The target's std is about 87 in original units; a fitted network explains most of it.
            Assert.InRange(m.MeanRmse, 0.1, 40);
            Assert.InRange(m.MeanR2, 0.8, 1.0);
            Assert.True(double.IsNaN(m.MeanLogLoss));
        }

        Assert.True(result.Methods["posthoc"].MeanNonzeroParams <= result.Methods["dense"].MeanNonzeroParams);
        foreach (var baseline in TreeBenchmark.DefaultRegressionBaselines)
        {
            var trees = TreeBenchmark.RunRegression(baseline, csv, options);
            Assert.Equal(2, trees.Seeds.Count);
            Assert.InRange(trees.MeanRmse, 0.1, 40);
            Assert.InRange(trees.MeanR2, 0.8, 1.0);
            Assert.True(trees.MeanNonzeroParams > 0);
        }

        Assert.Throws<ArgumentException>(() => TreeBenchmark.RunRegression(TreeBenchmark.DefaultRegressionBaselines[0], csv, options with { Task = LearningTask.Classification }));
    }
}
