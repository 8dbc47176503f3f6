using System.Text.Json;

namespace Occam.Tests.Cli;

/// <summary>The real command line on the shipped digits set: training, records, the saved model, evaluation and prediction.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-e2e").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TrainOnDigitsPrintsTheSummaryJsonAndNothingElse()
    {
        var result = CliRunner.Run("train", "--data", "digits", "--method", "occam", "--epochs", "4", "--seed", "3", "--json");

        Assert.Equal(0, result.ExitCode);
        string line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var summary = JsonDocument.Parse(line);
        var root = summary.RootElement;
        Assert.Equal("occam", root.GetProperty("method").GetString());
        Assert.Equal(4, root.GetProperty("epochs").GetArrayLength());
        var best = root.GetProperty("best");
        int selected = best.GetProperty("epoch").GetInt32();
        Assert.InRange(selected, 1, 4);
        double density = best.GetProperty("density").GetDouble();
        Assert.InRange(density, 0.01, 1.0);
        Assert.Equal(best.GetProperty("nonzero_params").GetInt64() / (double)best.GetProperty("total_params").GetInt64(), density, 9);
        Assert.InRange(best.GetProperty("test_accuracy").GetDouble(), 0.8, 1.0);
        Assert.True(root.GetProperty("total_params").GetInt64() > 50_000);
        Assert.True(root.GetProperty("inference_flops").GetInt64() > 0);
        Assert.True(root.GetProperty("total_train_flops_sparse").GetInt64() > 0);
        foreach (var epoch in root.GetProperty("epochs").EnumerateArray())
        {
            foreach (string field in new[] { "epoch", "train_loss", "holdout_loss", "test_loss", "test_accuracy", "nonzero_params", "total_params", "density", "prune_rate", "zeta", "train_seconds", "train_flops_dense", "train_flops_sparse" })
            {
                Assert.True(epoch.TryGetProperty(field, out _), $"epoch record lacks {field}");
            }
        }
    }

    // Every criterion and distribution of the library is reachable from the command line and ends up in the run's record.
    [Theory]
    [InlineData("magnitude", "layer", "magnitude")]
    [InlineData("magnitude", "global", "global-magnitude")]
    [InlineData("random", "layer", "random")]
    [InlineData("structured", "layer", "structured")]
    public void TrainPrunesWithTheCriterionAndDistributionAsked(string criterion, string distribution, string recorded)
    {
        var result = CliRunner.Run("train", "--data", "digits", "--model", "mlp:32", "--method", "constant", "--criterion", criterion,
            "--distribution", distribution, "--epochs", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        using var summary = JsonDocument.Parse(result.Output);
        var root = summary.RootElement;
        Assert.Equal(recorded, root.GetProperty("criterion").GetString());
        var last = root.GetProperty("epochs")[1];
        Assert.Equal(0.6, last.GetProperty("prunable_density").GetDouble(), 0.02);
    }

    [Fact]
    public void StructuredPruningSavesTheMlpPhysicallySmallerAndComputingTheSame()
    {
        // posthoc makes the cut model the only candidate, so the selected model has lost 75 % of its units.
        string run = Path.Combine(_dir, "structured");
        var train = CliRunner.Run("train", "--data", "digits", "--model", "mlp:32", "--method", "posthoc", "--criterion", "structured",
            "--epochs", "2", "--out", run);
        Assert.Equal(0, train.ExitCode);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        var best = summary.RootElement.GetProperty("best");

        var eval = CliRunner.Run("eval", run, "--data", "digits", "--json");
        Assert.Equal(0, eval.ExitCode);
        using var evaluation = JsonDocument.Parse(eval.Output);
        long full = best.GetProperty("total_params").GetInt64();
        long saved = evaluation.RootElement.GetProperty("total_params").GetInt64();
        Assert.True(saved < full / 2, $"saved {saved} of {full} parameters");
        Assert.Equal(best.GetProperty("test_loss").GetDouble(), evaluation.RootElement.GetProperty("loss").GetDouble(), 1e-5);
    }

    [Fact]
    public void ATrainedCsvModelIsSavedEvaluatedAndPredicts()
    {
        string csv = Path.Combine(_dir, "blobs.csv");
        WriteBlobs(csv);
        string run = Path.Combine(_dir, "run");
        var train = CliRunner.Run("train", "--data", "csv:" + csv, "--model", "mlp:16", "--method", "dense", "--epochs", "20", "--lr", "0.01", "--out", run);
        Assert.Equal(0, train.ExitCode);
        Assert.True(File.Exists(Path.Combine(run, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "report.md")));

        var eval = CliRunner.Run("eval", run, "--data", "csv:" + csv, "--json");
        Assert.Equal(0, eval.ExitCode);
        using (var doc = JsonDocument.Parse(eval.Output))
        {
            Assert.True(doc.RootElement.GetProperty("accuracy").GetDouble() > 0.9, eval.Output);
        }

        string input = Path.Combine(_dir, "new.csv");
        File.WriteAllText(input, "x,y,colour\n-3,-3,red\n3,3,blue\n");
        string output = Path.Combine(_dir, "p.csv");
        var predict = CliRunner.Run("predict", run, "--input", input, "--output", output);
        Assert.Equal(0, predict.ExitCode);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal("a,b,predicted", lines[0]);
        float[] first = [.. lines[1].Split(',')[..2].Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        float[] second = [.. lines[2].Split(',')[..2].Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.True(first[0] > 0.9f && second[1] > 0.9f, string.Join(" / ", lines));
        Assert.Equal(["a", "b"], [lines[1].Split(',')[2], lines[2].Split(',')[2]]);
    }

    [Fact]
    public void CompareSavesEachMethodsSelectedModelWhereEvalAndPredictFindIt()
    {
        string csv = Path.Combine(_dir, "blobs.csv");
        WriteBlobs(csv);
        string comparison = Path.Combine(_dir, "comparison");
        var compare = CliRunner.Run("compare", "--data", "csv:" + csv, "--model", "mlp:16", "--epochs", "8", "--lr", "0.01", "--out", comparison);
        Assert.Equal(0, compare.ExitCode);
        string input = Path.Combine(_dir, "new.csv");
        File.WriteAllText(input, "x,y,colour\n-3,-3,red\n3,3,blue\n");
        foreach (string method in Occam.Training.Comparison.Methods)
        {
            string run = Path.Combine(comparison, method);
            Assert.True(File.Exists(Path.Combine(run, "model.safetensors")), method);
            long selectedNonzero;
            using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
            {
                selectedNonzero = summary.RootElement.GetProperty("best").GetProperty("nonzero_params").GetInt64();
                Assert.Equal(new FileInfo(Path.Combine(run, "model.safetensors")).Length, summary.RootElement.GetProperty("model_file_bytes").GetInt64());
            }

            // The saved model is the selected one: the same weights are zero as in the run's selected record.
            var eval = CliRunner.Run("eval", run, "--data", "csv:" + csv, "--json");
            Assert.Equal(0, eval.ExitCode);
            using (var doc = JsonDocument.Parse(eval.Output))
            {
                Assert.Equal(selectedNonzero, doc.RootElement.GetProperty("nonzero_params").GetInt64());
                Assert.True(doc.RootElement.GetProperty("accuracy").GetDouble() > 0.9, $"{method}: {eval.Output}");
            }

            var predict = CliRunner.Run("predict", run, "--input", input, "--output", Path.Combine(_dir, method + ".csv"));
            Assert.Equal(0, predict.ExitCode);
        }
    }

    [Fact]
    public void ResumeContinuesAnInterruptedRunToTheSameModel()
    {
        string[] train = ["train", "--data", "digits", "--model", "mlp:32", "--method", "occam-paper", "--epochs", "3", "--threads", "1"];
        string whole = Path.Combine(_dir, "whole");
        Assert.Equal(0, CliRunner.Run([.. train, "--out", whole]).ExitCode);

        // An interrupted run leaves its staging folder with a checkpoint; simulate it by completing a run and moving it back.
        string interrupted = Path.Combine(_dir, "interrupted");
        Assert.Equal(0, CliRunner.Run([.. train, "--out", interrupted]).ExitCode);
        string staging = Path.Combine(_dir, ".interrupted.partial");
        Directory.Move(interrupted, staging);
        foreach (string file in new[] { "summary.json", "model.safetensors", "report.md" })
        {
            File.Delete(Path.Combine(staging, file));
        }

        var resumed = CliRunner.Run("train", "--resume", interrupted, "--json");
        Assert.Equal(0, resumed.ExitCode);
        Assert.False(Directory.Exists(staging));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "model.safetensors")), File.ReadAllBytes(Path.Combine(interrupted, "model.safetensors")));
    }

    [Fact]
    public void ResumeWithoutAnInterruptedRunIsAUsageError() =>
        CliRunner.AssertUsageError(CliRunner.Run("train", "--resume", Path.Combine(_dir, "nothing")), "no interrupted run to resume");

    private static void WriteBlobs(string path)
    {
        var random = new Random(5);
        using var writer = new StreamWriter(path);
        writer.WriteLine("x,y,colour,class");
        for (int i = 0; i < 200; i++)
        {
            bool b = i % 2 == 1;
            double centre = b ? 3 : -3;
            writer.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{centre + random.NextDouble() - 0.5},{centre + random.NextDouble() - 0.5},{(random.Next(2) == 0 ? "red" : "blue")},{(b ? "b" : "a")}"));
        }
    }
}
