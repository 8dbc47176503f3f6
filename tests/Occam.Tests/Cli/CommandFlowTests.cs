using System.Text.Json;
using Occam.Cli.Specs;
using Occam.Tests.Reports;

namespace Occam.Tests.Cli;

/// <summary>Each command end to end against a test engine: options in, artefacts and stdout out.</summary>
public sealed class CommandFlowTests : IDisposable
{
    private readonly string _root = RunFixtures.NewTemporaryDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TrainJsonPrintsOnlyTheSummaryOnStdout()
    {
        var engine = new FakeEngine();
        var result = CliRunner.Run(engine, "train", "--data", "digits", "--epochs", "3", "--seed", "7", "--r0", "0.3", "--json");

        Assert.Equal(0, result.ExitCode);
        string line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var summary = JsonDocument.Parse(line);
        Assert.Equal("occam", summary.RootElement.GetProperty("method").GetString());
        Assert.True(summary.RootElement.TryGetProperty("best", out _));
        Assert.Contains("[occam 3/3] epoch 3: held-out 0.5", result.Error, StringComparison.Ordinal);

        var plan = engine.LastPlan!;
        Assert.Equal(new DataSpec(DataKind.Digits, null), plan.Data);
        Assert.Equal(new MlpSpec([1024]), plan.Model);
        Assert.Same(Occam.Pruning.PruningMethods.Occam, plan.Method);
        Assert.Equal((3, 7, 0.3, 32, 0.1, 0.1, 0.2), (plan.Settings.Epochs, plan.Settings.Seed, plan.Settings.InitialPruneRate, plan.Settings.BatchSize, plan.Settings.FloorFactor, plan.Settings.HoldoutFraction, plan.Settings.Dropout));
    }

    [Fact]
    public void TrainReadsTheCriterionAndDistributionAndRefusesAPairTheLibraryLacks()
    {
        var engine = new FakeEngine();
        Assert.Equal(0, CliRunner.Run(engine, "train", "--data", "digits", "--criterion", "Structured", "--json").ExitCode);
        Assert.Equal((Occam.Pruning.PruningCriterionKind.Structured, Occam.Pruning.PruningDistribution.Layer),
            (engine.LastPlan!.Settings.Criterion, engine.LastPlan.Settings.Distribution));
        Assert.Equal(0, CliRunner.Run(engine, "train", "--data", "digits", "--distribution", "global", "--json").ExitCode);
        Assert.Equal((Occam.Pruning.PruningCriterionKind.Magnitude, Occam.Pruning.PruningDistribution.Global),
            (engine.LastPlan!.Settings.Criterion, engine.LastPlan.Settings.Distribution));

        CliRunner.AssertUsageError(CliRunner.Run(engine, "train", "--data", "digits", "--criterion", "random", "--distribution", "global"),
            "--distribution global applies only to --criterion magnitude, not random");
        CliRunner.AssertUsageError(CliRunner.Run(engine, "train", "--data", "digits", "--criterion", "largest"),
            "--criterion 'largest': expected magnitude, random or structured");
    }

    [Fact]
    public void TrainWritesRecordsAndReportIntoOut()
    {
        string output = Path.Combine(_root, "runs", "first");
        var result = CliRunner.Run(new FakeEngine(), "train", "--data", "digits", "--method", "dense", "--epochs", "4", "--out", output);

        Assert.Equal(0, result.ExitCode);
        foreach (string file in new[] { "summary.json", "epochs.jsonl", "report.md", "loss.png", "density.png", "loss_vs_flops.png" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }

        Assert.Contains("dense", result.Output, StringComparison.Ordinal);
        Assert.Contains($"run written to {output}", result.Output, StringComparison.Ordinal);
        Assert.Equal(["first"], Directory.GetFileSystemEntries(Path.Combine(_root, "runs")).Select(Path.GetFileName));
    }

    [Fact]
    public void TrainIntoAnEmptyExistingDirectoryWorks()
    {
        string output = Path.Combine(_root, "empty");
        Directory.CreateDirectory(output);
        var result = CliRunner.Run(new FakeEngine(), "train", "--data", "digits", "--epochs", "2", "--out", output);
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
    }

    [Fact]
    public void TrainRefusesANonEmptyOutAndLeavesItAlone()
    {
        string output = Path.Combine(_root, "taken");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");
        var engine = new FakeEngine();

        CliRunner.AssertUsageError(CliRunner.Run(engine, "train", "--data", "digits", "--out", output), "already exists and is not empty");
        Assert.Null(engine.LastPlan);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedTrainingLeavesNoPartialOutput()
    {
        string output = Path.Combine(_root, "new", "deeper", "run");
        var result = CliRunner.Run(new FakeEngine { FailWith = new InvalidDataException("truncated") }, "train", "--data", "digits", "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void CompareJsonHoldsEveryRunKeyedByName()
    {
        string output = Path.Combine(_root, "cmp");
        var result = CliRunner.Run(new FakeEngine(), "compare", "--data", "csv:" + WriteCsv(), "--epochs", "3", "--out", output, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(["dense", "occam", "posthoc"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("occam", json.RootElement.GetProperty("occam").GetProperty("method").GetString());
        Assert.Contains("| occam | ", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void CompareWithoutJsonPrintsOneTable()
    {
        var engine = new FakeEngine();
        // Other occam processes (a benchmark writing to the temp directory) may have staging directories of their own.
        var stagedBefore = Directory.GetDirectories(Path.GetTempPath(), ".*.partial*");
        var result = CliRunner.Run(engine, "compare", "--data", "csv:" + WriteCsv(), "--label", "species", "--epochs", "3");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new MlpSpec([256, 256]), engine.LastPlan!.Model);
        Assert.Equal("species", engine.LastPlan.Settings.LabelColumn);
        foreach (string method in new[] { "dense", "occam", "posthoc" })
        {
            Assert.Contains(method, result.Output, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), ".*.partial*").Except(stagedBefore));
    }

    [Fact]
    public void EvalPrintsJson()
    {
        var engine = new FakeEngine();
        var result = CliRunner.Run(engine, "eval", _root, "--data", "digits", "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "{\"examples\":1000,\"loss\":0.3125,\"accuracy\":0.9,\"nonzero_params\":250,\"total_params\":1000,\"density\":0.25}",
            result.Output.Trim());
        Assert.Equal(256, engine.LastEvaluation!.BatchSize);
    }

    [Fact]
    public void EvalPrintsATable()
    {
        var result = CliRunner.Run(new FakeEngine(), "eval", _root, "--data", "digits");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("0.3125", result.Output, StringComparison.Ordinal);
        Assert.Contains("90.00 %", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictWritesCsvToStdout()
    {
        var result = CliRunner.Run(new FakeEngine(), "predict", _root, "--input", WriteCsv());
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("setosa,\"versi,color\",predicted\n0.25,0.75,\"versi,color\"\n1,0,setosa\n", result.Output);
    }

    [Fact]
    public void PredictWritesCsvToAFile()
    {
        string output = Path.Combine(_root, "probabilities.csv");
        var result = CliRunner.Run(new FakeEngine(), "predict", _root, "--input", WriteCsv(), "--output", output);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith("setosa,", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_root, ".*partial*"));
    }

    [Fact]
    public void BenchKernelsJsonIsOneRowPerCaseInOrderWithIsaAndKernel()
    {
        var result = CliRunner.Run(new FakeEngine(), "bench", "kernels", "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                "{\"case\":\"sgemm_256\",\"isa\":\"avx512\",\"kernel\":\"gemm 8x32 vector512\",\"gflops\":101.5}",
                "{\"case\":\"dense_fwd_32x784x1024\",\"isa\":\"avx512\",\"kernel\":\"dot 2x4 vector512\",\"gflops\":180.3}",
            ],
            result.Output.Trim().Split('\n').Select(line => line.TrimEnd('\r')));
    }

    [Fact]
    public void BenchKernelsPrintsATable()
    {
        var result = CliRunner.Run(new FakeEngine(), "bench", "kernels");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("dense_fwd_32x784x1024", result.Output, StringComparison.Ordinal);
        Assert.Contains("180.3", result.Output, StringComparison.Ordinal);
        Assert.Contains("avx512", result.Output, StringComparison.Ordinal);
        Assert.Contains("gemm 8x32 vector512", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchSparseJsonIsOneLinePerDensity()
    {
        var result = CliRunner.Run(new FakeEngine(), "bench", "sparse", "--json");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("{\"density\":0.1,\"train_epoch_seconds\":3,\"inference_examples_per_second\":90000,\"isa\":\"avx2\",\"kernel\":\"sparse\",\"inference_kernel\":\"sparse\",\"training_crossover\":0.4,\"inference_crossover\":null}", lines[1].Trim());
    }

    [Fact]
    public void BenchSparseDefaultsToTheIssuesDensitiesOnAutomaticKernels()
    {
        var engine = new FakeEngine();
        Assert.Equal(0, CliRunner.Run(engine, "bench", "sparse", "--json").ExitCode);
        Assert.Equal([1.0, 0.5, 0.2, 0.1, 0.05], engine.SparseBenchmarkOptions!.Densities);
        Assert.Equal(Occam.Layers.KernelPath.Automatic, engine.SparseBenchmarkOptions.Kernels);
        Assert.Equal(256, engine.SparseBenchmarkOptions.InferenceBatchSize);
        Assert.Equal(0, CliRunner.Run(engine, "bench", "sparse", "--inference-batch", "32").ExitCode);
        Assert.Equal(32, engine.SparseBenchmarkOptions.InferenceBatchSize);
    }

    [Fact]
    public void BenchSparseTakesADensityListAndForcedKernels()
    {
        var engine = new FakeEngine();
        Assert.Equal(0, CliRunner.Run(engine, "bench", "sparse", "--densities", "0.5, 0.35,0,1", "--kernels", "sparse").ExitCode);
        Assert.Equal([0.5, 0.35, 0.0, 1.0], engine.SparseBenchmarkOptions!.Densities);
        Assert.Equal(Occam.Layers.KernelPath.Sparse, engine.SparseBenchmarkOptions.Kernels);
        Assert.Equal(0, CliRunner.Run(engine, "bench", "sparse", "--kernels", "dense").ExitCode);
        Assert.Equal(Occam.Layers.KernelPath.Dense, engine.SparseBenchmarkOptions.Kernels);
    }

    [Theory]
    [InlineData("--densities", "0.5,1.5", "'1.5'")]
    [InlineData("--densities", "0.5,,0.2", "''")]
    [InlineData("--densities", "half", "'half'")]
    [InlineData("--densities", "0.2,-0.1", "'-0.1'")]
    [InlineData("--kernels", "gpu", "'gpu'")]
    [InlineData("--inference-batch", "0", "--inference-batch")]
    [InlineData("--inference-batch", "4096", "--inference-batch")]
    public void BenchSparseRejectsBadListsAndKernels(string option, string value, string named)
    {
        var engine = new FakeEngine();
        CliRunner.AssertUsageError(CliRunner.Run(engine, "bench", "sparse", option, value), named);
        Assert.Null(engine.SparseBenchmarkOptions);
    }

    [Fact]
    public void BenchSparsePrintsATableWithRatios()
    {
        var result = CliRunner.Run(new FakeEngine(), "bench", "sparse");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("sparse", result.Output, StringComparison.Ordinal);
        Assert.Contains("0.30", result.Output, StringComparison.Ordinal);
        Assert.Contains("4.50", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportWritesMarkdownAndPlotsForAComparison()
    {
        RunFixtures.WriteComparison(_root);
        var result = CliRunner.Run("report", _root);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("report written to", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "report.md")));
        Assert.True(File.Exists(Path.Combine(_root, "loss_vs_flops.png")));
    }

    [Theory]
    [InlineData("iris", "Test accuracy")]
    [InlineData("servo", "Test RMSE")]
    public void ReportReadsRunsWrittenByTheEarlierWriter(string run, string quality)
    {
        string directory = Path.Combine(_root, run);
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.GetFiles(Path.Combine(Occam.Tests.Training.RunSummaryReadTests.EarlierRuns, run)))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var result = CliRunner.Run("report", directory);
        Assert.Equal(0, result.ExitCode);
        string markdown = File.ReadAllText(Path.Combine(directory, "report.md"));
        Assert.Contains("| occam | ", markdown, StringComparison.Ordinal);
        Assert.Contains(quality, markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportOnCorruptRecordsIsAUsageError()
    {
        RunFixtures.WriteRun(_root, "occam");
        File.WriteAllText(Path.Combine(_root, "summary.json"), "not json");
        CliRunner.AssertUsageError(CliRunner.Run("report", _root), "summary.json: not valid JSON");
        Assert.False(File.Exists(Path.Combine(_root, "report.md")));
    }

    private string WriteCsv()
    {
        string path = Path.Combine(_root, "rows.csv");
        File.WriteAllText(path, "a,b,species\n1,2,setosa\n");
        return path;
    }
}
