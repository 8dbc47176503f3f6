using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Occam.Data;
using Occam.Serialization;

namespace Occam.Tests.Cli;

/// <summary>Regression through the command line: task choice and inference, and train → eval → predict on a small CSV.</summary>
public sealed class RegressionCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-regression").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AnInferredRegressionIsSaidInOneLine()
    {
        string csv = WriteLine(Path.Combine(_dir, "r.csv"), 50);
        var engine = new FakeEngine { Inference = new TaskInference(LearningTask.Regression, "target", true, 50) };
        var result = CliRunner.Run(engine, "train", "--data", "csv:" + csv, "--epochs", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        string line = Assert.Single(result.ErrorLines, l => l.Contains("inferred", StringComparison.Ordinal));
        Assert.Equal("occam: inferred task regression: label column 'target' is numeric with 50 distinct values (use --task classification to classify)", line);
        Assert.Equal(LearningTask.Regression, engine.LastPlan!.Settings.Task);

        var chosen = CliRunner.Run(engine, "train", "--data", "csv:" + csv, "--epochs", "2", "--task", "classification", "--json");
        Assert.Equal(0, chosen.ExitCode);
        Assert.DoesNotContain("inferred", chosen.Error, StringComparison.Ordinal);
        Assert.Equal(LearningTask.Classification, engine.LastPlan!.Settings.Task);
    }

    [Fact]
    public void BadTaskOptionsAreUsageErrors()
    {
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "train", "--data", "digits", "--task", "ranking"), "--task 'ranking'");
        CliRunner.AssertUsageError(CliRunner.Run(new FakeEngine(), "train", "--data", "digits", "--task", "regression"), "only to csv data");
    }

    [Fact]
    public void ARegressionModelTrainsEvaluatesAndPredictsInOriginalUnits()
    {
        string csv = WriteLine(Path.Combine(_dir, "line.csv"), 300);
        string run = Path.Combine(_dir, "run");
        var train = CliRunner.Run("train", "--data", "csv:" + csv, "--model", "mlp:16", "--method", "dense", "--epochs", "25",
            "--lr", "0.01", "--threads", "1", "--out", run);
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("inferred task regression", train.Error, StringComparison.Ordinal);
        // Progress gives the held-out RMSE in the target's units beside the loss on standardised targets.
        Assert.Contains("epoch 25: held-out ", train.Error, StringComparison.Ordinal);
        Assert.Contains(" (RMSE ", train.Error, StringComparison.Ordinal);
        Assert.Contains("rmse", train.Output, StringComparison.Ordinal);
        Assert.Contains("Test RMSE", File.ReadAllText(Path.Combine(run, "report.md")), StringComparison.Ordinal);

        var eval = CliRunner.Run("eval", run, "--data", "csv:" + csv, "--json");
        Assert.Equal(0, eval.ExitCode);
        using (var doc = JsonDocument.Parse(eval.Output))
        {
            var root = doc.RootElement;
            // The noise has std 2 in original units (the target's std is about 60): RMSE near 2, R² near 1.
            Assert.InRange(root.GetProperty("rmse").GetDouble(), 1.0, 6.0);
            Assert.True(root.GetProperty("r2").GetDouble() > 0.98, eval.Output);
            Assert.False(root.TryGetProperty("accuracy", out _));
        }

        string input = Path.Combine(_dir, "new.csv");
        File.WriteAllText(input, "x,colour\n0,blue\n10,red\n");
        var predict = CliRunner.Run("predict", run, "--input", input);
        Assert.Equal(0, predict.ExitCode);
        string[] lines = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("target", lines[0]);
        // Truth without noise: 5·x + 20·[blue] → 20 and 50.
        Assert.InRange(double.Parse(lines[1], CultureInfo.InvariantCulture), 14, 26);
        Assert.InRange(double.Parse(lines[2], CultureInfo.InvariantCulture), 44, 56);
    }

    private string TrainLine()
    {
        string run = Path.Combine(_dir, "clipped");
        var train = CliRunner.Run("train", "--data", "csv:" + WriteLine(Path.Combine(_dir, "line.csv"), 200), "--task", "regression",
            "--model", "mlp:8", "--method", "dense", "--epochs", "3", "--threads", "1", "--out", run);
        Assert.Equal(0, train.ExitCode);
        return run;
    }

    private double[] PredictX(string run, params string[] xs)
    {
        string input = Path.Combine(_dir, "input.csv");
        File.WriteAllLines(input, ["x,colour", .. xs.Select(x => x + ",blue")]);
        var predict = CliRunner.Run("predict", run, "--input", input);
        Assert.Equal(0, predict.ExitCode);
        return [.. predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
    }

    [Fact]
    public void InputsBeyondTheTrainingRangePredictAsItsEdges()
    {
        string run = TrainLine();
        var preprocessor = Model.Load(run).Preprocessor!;
        NumericTransform x = Assert.Single(preprocessor.NumericTransforms);
        string low = x.Low.ToString("R", CultureInfo.InvariantCulture), high = x.High.ToString("R", CultureInfo.InvariantCulture);
        double[] p = PredictX(run, low, "-1e6", high, "1e6", "5");

        Assert.Equal(p[0], p[1]);
        Assert.Equal(p[2], p[3]);
        Assert.NotEqual(p[3], p[4]);
    }

    [Fact]
    public void AModelSavedBeforeClippingStillLoadsAndExtrapolatesAsItDid()
    {
        string run = TrainLine();
        string modelFile = Path.Combine(run, Model.FileName);
        var saved = Model.Load(modelFile);
        var metadata = ModelWeights.Load(modelFile, saved.Network);
        var preprocessor = JsonNode.Parse(metadata["preprocessor"])!;
        foreach (var column in preprocessor["columns"]!.AsArray())
        {
            column!.AsObject().Remove("transform");
        }

        metadata["preprocessor"] = preprocessor.ToJsonString();
        ModelWeights.Save(modelFile, saved.Network, metadata);

        double[] p = PredictX(run, "19.9", "1e6");
        Assert.NotEqual(p[0], p[1]);
        Assert.Equal(0, CliRunner.Run("eval", run, "--data", "csv:" + Path.Combine(_dir, "line.csv"), "--json").ExitCode);
    }


    /// <summary>target = 5·x + 20·[blue] + N(0, 2²), x uniform on [−10, 20]: a numeric target with as many values as rows.</summary>
    internal static string WriteLine(string path, int rows)
    {
        var random = new Random(7);
        using var writer = new StreamWriter(path);
        writer.WriteLine("x,colour,target");
        for (int i = 0; i < rows; i++)
        {
            double x = -10 + (30 * random.NextDouble());
            bool blue = random.Next(2) == 0;
            double noise = 2 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{x:F3},{(blue ? "blue" : "red")},{(5 * x) + (blue ? 20 : 0) + noise:F3}"));
        }

        return path;
    }
}
