using Occam.Cli.Engine;
using Occam.Tests.Reports;

namespace Occam.Tests.Cli;

/// <summary>A test engine: records what it was asked and writes fixture run records, or fails on request.</summary>
internal sealed class FakeEngine : IOccamEngine
{
    public TrainingPlan? LastPlan { get; private set; }

    /// <summary>The seed of every comparison asked for, in order, with the directory it was to write.</summary>
    public List<(int Seed, string Directory)> Comparisons { get; } = [];

    public EvaluationRequest? LastEvaluation { get; private set; }

    public Occam.Benchmarks.PaperBenchmarkOptions? PaperOptions { get; private set; }

    public IReadOnlyList<Occam.Benchmarks.SweepCell>? PaperCells { get; private set; }

    public Occam.Benchmarks.SparseBenchmarkOptions? SparseBenchmarkOptions { get; private set; }

    /// <summary>When set, Train and Compare write a partial file and then throw this.</summary>
    public Exception? FailWith { get; init; }

    public void Train(TrainingPlan plan, string runDirectory, IProgressSink progress, CancellationToken cancellationToken)
    {
        LastPlan = plan;
        Assert.Empty(Directory.EnumerateFileSystemEntries(runDirectory));
        FailIfAsked(runDirectory);
        for (int epoch = 1; epoch <= plan.Settings.Epochs; epoch++)
        {
            progress.Report(new ProgressUpdate("occam", epoch, plan.Settings.Epochs, $"epoch {epoch}: held-out 0.5"));
        }

        RunFixtures.WriteRun(runDirectory, plan.Method.Name, plan.Settings.Epochs);
    }

    public void Compare(TrainingPlan plan, string comparisonDirectory, IProgressSink progress, CancellationToken cancellationToken)
    {
        LastPlan = plan;
        Comparisons.Add((plan.Settings.Seed, comparisonDirectory));
        FailIfAsked(comparisonDirectory);
        RunFixtures.WriteComparison(comparisonDirectory, plan.Settings.Epochs);
    }

    /// <summary>What <see cref="DescribeCsv"/> answers: one numeric column, no file read.</summary>
    public Occam.Data.TabularSchema DescribeCsv(TrainingPlan plan) =>
        new(plan.Data.Path ?? "", plan.Settings.LabelColumn ?? "class", plan.Settings.Task ?? Occam.Data.LearningTask.Classification, [], 1,
            [new Occam.Data.SchemaColumn("x", Occam.Data.ColumnKind.Numeric, 0, null)]);

    /// <summary>What <see cref="InferTask"/> answers.</summary>
    public Occam.Data.TaskInference Inference { get; init; } = new(Occam.Data.LearningTask.Classification, "class", false, 0);

    public Occam.Data.TaskInference InferTask(string csvPath, string? labelColumn) => Inference with { LabelColumn = labelColumn ?? Inference.LabelColumn };

    public EvaluationResult Evaluate(EvaluationRequest request, IProgressSink progress, CancellationToken cancellationToken)
    {
        LastEvaluation = request;
        return new EvaluationResult(Examples: 1000, Loss: 0.3125, Accuracy: 0.9, NonzeroParams: 250, TotalParams: 1000);
    }

    public PredictionTable Predict(string modelPath, string inputCsvPath, int threads, CancellationToken cancellationToken) =>
        new(["setosa", "versi,color"], [[0.25f, 0.75f], [1f, 0f]], Regression: false);

    public IReadOnlyList<KernelScore> BenchmarkKernels(CancellationToken cancellationToken) =>
        [new("sgemm_256", "avx512", "gemm 8x32 vector512", 101.5), new("dense_fwd_32x784x1024", "avx512", "dot 2x4 vector512", 180.3)];

    public double BenchmarkEpoch(int examples, int threads, CancellationToken cancellationToken) => examples / 4000.0;

    public Occam.Data.LearningTask? LastBenchmarkTask { get; private set; }

    public void BenchmarkTabular(string csvPath, int seed, IReadOnlyList<string> methods, int epochs, Occam.Data.LearningTask task,
        Action<Occam.Benchmarks.TabularCellResult> finished, IProgressSink progress, CancellationToken cancellationToken)
    {
        LastBenchmarkTask = task;
        bool regression = task == Occam.Data.LearningTask.Regression;
        string[] names = ["dense", "occam", "occam-paper", "posthoc", "rf", "gbdt"];
        foreach (string method in methods)
        {
            int i = Array.IndexOf(names, method);
            string key = Occam.Benchmarks.TabularBenchmark.ResultKey(method);
            var result = regression
                ? Occam.Benchmarks.TabularSeedResult.ForRegression(key, seed, new(4.0 + i, 2.0 + (0.1 * i), 1.5, 0.8 - (0.01 * i)), 1000 - (100 * i), 1, 1, 1)
                : new Occam.Benchmarks.TabularSeedResult(key, seed, 0.1 * (i + 1), 0.9 - (0.01 * i), 1000 - (100 * i), 1, 1, 1);
            finished(new Occam.Benchmarks.TabularCellResult(Path.GetFileNameWithoutExtension(csvPath), 10, 2, regression ? 1 : 2, task, result));
        }
    }

    public Occam.Benchmarks.SparseRegressionResult DemoSparseRegression(int seed, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The demo runs on the library engine in its tests.");

    public Occam.Benchmarks.PaperBenchmarkResult BenchmarkPaper(Occam.Benchmarks.PaperBenchmarkOptions options, int threads, string outputDirectory, string command,
        IProgressSink progress, CancellationToken cancellationToken)
    {
        PaperOptions = options;
        Occam.Benchmarks.PaperMethodRow[] rows = [new("occam", 3, 0.30, 0.90, 0.2, 200, 5), new("dense", 4, 0.29, 0.91, 1, 1000, 4)];
        // Seed s moves every test loss by 0.01 × (s − mean seed), so the rows are the seeds' means.
        int[] seeds = [.. options.Seeds ?? [options.Seed]];
        double meanSeed = seeds.Average();
        var experiment = new Occam.Benchmarks.PaperExperimentResult(options.Only?[0] ?? "mlp", "MLP", "fake", rows, Occam.Benchmarks.PaperVerdict.Network(rows), 1, [], [])
        {
            SeedRows = [.. seeds.SelectMany(seed => rows.Select(row => new Occam.Benchmarks.PaperSeedRow(seed, row with { TestLoss = row.TestLoss + (0.01 * (seed - meanSeed)) })))],
        };
        var result = new Occam.Benchmarks.PaperBenchmarkResult(DateTimeOffset.UnixEpoch, command, 2, 2, options.IsQuick, 1, [experiment]);
        Occam.Benchmarks.PaperReport.Write(result, outputDirectory);
        return result;
    }

    public int BenchmarkPaperCells(Occam.Benchmarks.PaperBenchmarkOptions options, int threads, Occam.Benchmarks.SweepManifest sweep,
        IReadOnlyList<Occam.Benchmarks.SweepCell> cells, string sweepDirectory, IProgressSink progress, CancellationToken cancellationToken)
    {
        PaperOptions = options;
        PaperCells = cells;
        return cells.Count;
    }

    public IReadOnlyList<Occam.Benchmarks.SparseBenchmarkRow> BenchmarkSparse(Occam.Benchmarks.SparseBenchmarkOptions options, CancellationToken cancellationToken)
    {
        SparseBenchmarkOptions = options;
        return [new(1.0, 10.0, 20000, false, false, "avx2", 0.4, null), new(0.1, 3.0, 90000, true, true, "avx2", 0.4, null)];
    }

    private void FailIfAsked(string directory)
    {
        if (FailWith is not null)
        {
            File.WriteAllText(Path.Combine(directory, "summary.json"), "{");
            throw FailWith;
        }
    }
}
