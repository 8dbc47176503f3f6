using System.Globalization;
using Occam.Cli.Specs;
using Occam.Data;
using Occam.Kernels;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Serialization;
using Occam.Training;

namespace Occam.Cli.Engine;

/// <summary>
/// The production engine: the only class of the command line that calls the Occam library's loaders, models,
/// trainer, comparison and benchmarks.
/// </summary>
internal sealed class LibraryEngine : IOccamEngine
{
    /// <inheritdoc />
    public void Train(TrainingPlan plan, string runDirectory, IProgressSink progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var s = plan.Settings;
        using var threadScope = Parallelism.Use(s.Threads);
        var data = DataLoading.Load(plan.Data, plan.Model, s.Seed, s.HoldoutFraction, DataLoading.CsvOptions(s), s.TestPath);
        string method = plan.Method.Name;
        MemoryEstimate.Check(plan.Model, data.Train.ExampleShape, data.Train.ClassCount, s.BatchSize);
        var model = ModelFactory.Build(plan.Model, data.Train.ExampleShape, data.Train.ClassCount, s.Seed, s.Dropout);
        var metadata = new Dictionary<string, string>(RunMetadata(plan, method)) { [PlanJson.MetadataKey] = PlanJson.Serialize(plan) };
        var recorder = new RunRecorder(runDirectory);
        var options = Options(plan, method, progress) with
        {
            Recorder = recorder,
            CheckpointDirectory = runDirectory,
            CheckpointMetadata = metadata,
            Resume = plan.Resume,
        };
        var trainer = new Trainer(options);
        WriteDataRecords(runDirectory, data, trainer);
        var summary = trainer.Run(model, data.Train, data.Test, cancellationToken);
        (model, plan) = WithoutDeadUnits(model, plan);
        recorder.RecordSummary(summary with { ModelFileBytes = SaveModel(runDirectory, model, plan, data, method) });
    }

    /// <inheritdoc />
    public void Compare(TrainingPlan plan, string comparisonDirectory, IProgressSink progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var s = plan.Settings;
        using var threadScope = Parallelism.Use(s.Threads);
        var data = DataLoading.Load(plan.Data, plan.Model, s.Seed, s.HoldoutFraction, DataLoading.CsvOptions(s), s.TestPath);
        string method = plan.Method.Name;
        var shape = data.Train.ExampleShape;
        MemoryEstimate.Check(plan.Model, shape, data.Train.ClassCount, s.BatchSize);
        var options = Options(plan, method, progress);
        WriteDataRecords(comparisonDirectory, data, new Trainer(options));
        // Each run's model is saved as it ends, laid out as train's run folder, so eval, predict and export take DIR/METHOD.
        Comparison.Run(seed => ModelFactory.Build(plan.Model, shape, data.Train.ClassCount, seed, s.Dropout),
            data.Train, data.Test, options, [s.Seed], (run, model) =>
            {
                string runDirectory = Path.Combine(comparisonDirectory, run.Method);
                new RunRecorder(runDirectory).RecordSummary(run with { ModelFileBytes = SaveModel(runDirectory, model, plan, data, run.Method) });
            }, cancellationToken);
    }

    /// <inheritdoc />
    public EvaluationResult Evaluate(EvaluationRequest request, IProgressSink progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var threadScope = Parallelism.Use(request.Threads);
        var saved = Model.Load(request.ModelPath);
        var test = DataLoading.LoadTest(saved, request.Data, request.LabelColumn);
        CheckCompatible(saved, test);
        var evaluation = new Evaluator(request.BatchSize).Evaluate(saved.Network, test);
        long nonzero = 0, total = 0;
        foreach (var p in saved.Network.Parameters)
        {
            total += p.Length;
            nonzero += p.CountNonzero();
        }

        return new EvaluationResult(test.Count, evaluation.Loss, evaluation.Accuracy, nonzero, total, evaluation.Regression);
    }

    /// <inheritdoc />
    public TabularSchema DescribeCsv(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var s = plan.Settings;
        string path = plan.Data.Path ?? throw new ArgumentException("The plan's data is not a CSV file.", nameof(plan));

        // The training file alone, fitted on the rows training will fit on: a bad test file is reported after this summary.
        var options = DataLoading.CsvOptions(s);
        return TabularLoader.Load(path, s.TestPath is null ? options : options with { TestFraction = 0 }).Schema();
    }

    /// <summary>
    /// Writes <c>schema.json</c> (what typed ingestion decided) and <see cref="SplitRows.FileName"/> (the rows the run
    /// trains on, holds out and tests on, as <paramref name="trainer"/> splits them) into a run folder when the data is a CSV.
    /// </summary>
    private static void WriteDataRecords(string directory, LoadedData data, Trainer trainer)
    {
        if (data.Schema is not null)
        {
            AtomicFile.WriteAllText(Path.Combine(directory, SchemaFileName), data.Schema.ToJson());
        }

        if (data.Tabular is not null)
        {
            SplitRows.Of(data.Tabular, trainer.HoldoutSplitOf(data.Train)).Write(directory);
        }
    }

    /// <summary>The file a CSV run's schema is written to, in the run (or comparison) folder.</summary>
    public const string SchemaFileName = "schema.json";

    /// <inheritdoc />
    public TaskInference InferTask(string csvPath, string? labelColumn)
    {
        var table = CsvTable.Load(csvPath);
        return TabularLoader.InferTask(table, TabularLoader.ResolveLabelColumn(table, labelColumn, task: null));
    }

    /// <inheritdoc />
    public PredictionTable Predict(string modelPath, string inputCsvPath, int threads, CancellationToken cancellationToken)
    {
        using var threadScope = Parallelism.Use(threads);
        var saved = Model.Load(modelPath);
        if (saved.Preprocessor is not { } preprocessor)
        {
            string trainedOn = saved.Metadata.TryGetValue("data", out var data) ? $"{DataSpecParser.Parse(data).Keyword} data" : "data other than a CSV file";
            throw new UsageException($"{modelPath}: predict reads CSV rows, and this model was trained on {trainedOn}, without CSV preprocessing");
        }

        var outputs = saved.Predict(preprocessor.TransformFeatures(CsvTable.Load(inputCsvPath)), cancellationToken: cancellationToken);
        return new PredictionTable(saved.IsRegression ? [preprocessor.LabelColumn] : saved.ClassNames, outputs, saved.IsRegression);
    }

    /// <inheritdoc />
    public IReadOnlyList<KernelScore> BenchmarkKernels(CancellationToken cancellationToken)
    {
        var scores = new List<KernelScore>();
        foreach (var result in new Occam.Benchmarks.KernelBenchmark().Run())
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores.Add(new KernelScore(result.Name, result.Isa, result.Kernel, result.Gflops));
        }

        return scores;
    }

    /// <inheritdoc />
    public double BenchmarkEpoch(int examples, int threads, CancellationToken cancellationToken)
    {
        using var threadScope = Parallelism.Use(threads);
        return Occam.Benchmarks.EpochBenchmark.Run(examples);
    }

    /// <inheritdoc />
    public void BenchmarkTabular(string csvPath, int seed, IReadOnlyList<string> methods, int epochs, LearningTask task,
        Action<Occam.Benchmarks.TabularCellResult> finished, IProgressSink progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(finished);
        string name = Path.GetFileNameWithoutExtension(csvPath);
        var table = Occam.Data.CsvTable.Load(csvPath);
        // A sweep's cell must give the same figures in whichever process or node runs it; kernels chosen by timing
        // this CPU would not (dense and sparse products sum in different orders), so the networks run dense kernels.
        var options = new Occam.Benchmarks.TabularBenchmarkOptions { Seeds = [seed], Epochs = epochs, Task = task, Kernels = Occam.Layers.KernelPath.Dense };
        var networks = new Occam.Benchmarks.TabularSeedRuns(table, options, seed, cancellationToken);
        int done = 0;
        foreach (string method in methods)
        {
            var result = TreeBaseline(method, task) switch
            {
                Occam.Baselines.ITabularBaseline classifier => Occam.Baselines.TreeBenchmark.RunSeed(classifier, table, options, seed),
                Occam.Baselines.ITabularRegressionBaseline regressor => Occam.Baselines.TreeBenchmark.RunRegressionSeed(regressor, table, options, seed),
                _ => networks.Run(method),
            };
            finished(new Occam.Benchmarks.TabularCellResult(name, table.RowCount, networks.Features, networks.Classes, task, result));
            progress.Report(new ProgressUpdate(name, ++done, methods.Count, result.Regression is { } scores
                ? string.Create(CultureInfo.InvariantCulture, $"{result.Method} seed {seed}: RMSE {scores.Rmse:G4}")
                : string.Create(CultureInfo.InvariantCulture, $"{result.Method} seed {seed}: log-loss {result.LogLoss:F4}")));
        }
    }

    /// <summary>The tree ensemble called <paramref name="method"/> for <paramref name="task"/>, or null for a network method.</summary>
    private static object? TreeBaseline(string method, LearningTask task) => task == LearningTask.Regression
        ? Occam.Baselines.TreeBenchmark.DefaultRegressionBaselines.FirstOrDefault(b => b.Name == method)
        : Occam.Baselines.TreeBenchmark.DefaultBaselines.FirstOrDefault(b => b.Name == method);

    /// <inheritdoc />
    public Occam.Benchmarks.SparseRegressionResult DemoSparseRegression(int seed, CancellationToken cancellationToken) =>
        Occam.Benchmarks.SparseRegressionDemo.Run(seed, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Occam.Benchmarks.PaperBenchmarkResult BenchmarkPaper(Occam.Benchmarks.PaperBenchmarkOptions options, int threads, string outputDirectory,
        string command, IProgressSink progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var threadScope = Parallelism.Use(threads);
        return Occam.Benchmarks.PaperBenchmark.Run(Reporting(options, progress), outputDirectory, command, cancellationToken);
    }

    /// <inheritdoc />
    public int BenchmarkPaperCells(Occam.Benchmarks.PaperBenchmarkOptions options, int threads, Occam.Benchmarks.SweepManifest sweep,
        IReadOnlyList<Occam.Benchmarks.SweepCell> cells, string sweepDirectory, IProgressSink progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var threadScope = Parallelism.Use(threads);
        return Occam.Benchmarks.PaperBenchmark.RunCells(Reporting(options, progress), sweep, cells, new Occam.Benchmarks.SweepDirectory(sweepDirectory), cancellationToken);
    }

    /// <summary><paramref name="options"/> with their training and tabular progress reported to <paramref name="progress"/>.</summary>
    private static Occam.Benchmarks.PaperBenchmarkOptions Reporting(Occam.Benchmarks.PaperBenchmarkOptions options, IProgressSink progress)
    {
        int tabularRuns = 0;
        return options with
        {
            Progress = new ProgressAdapter(progress),
            TabularProgress = new Progress(r => progress.Report(new ProgressUpdate("tabular", ++tabularRuns, tabularRuns,
                string.Create(CultureInfo.InvariantCulture, $"{r.Method} seed {r.Seed}: log-loss {r.LogLoss:F4}")))),
        };
    }

    /// <inheritdoc />
    public IReadOnlyList<Occam.Benchmarks.SparseBenchmarkRow> BenchmarkSparse(Occam.Benchmarks.SparseBenchmarkOptions options, CancellationToken cancellationToken) =>
        Occam.Benchmarks.SparseBenchmark.Run(options, cancellationToken);

    private static TrainerOptions Options(TrainingPlan plan, string method, IProgressSink progress)
    {
        var s = plan.Settings;
        var pruning = new PruningMethodOptions
        {
            InitialRate = s.InitialPruneRate,
            FloorFactor = s.FloorFactor,
            Criterion = s.Criterion,
            Distribution = s.Distribution,
            Seed = s.Seed,
        };
        return new TrainerOptions
        {
            Epochs = s.Epochs,
            BatchSize = s.BatchSize,
            Seed = s.Seed,
            HoldoutFraction = s.HoldoutFraction,
            LearningRate = (float)s.LearningRate,
            PruneEvery = s.PruneEvery,
            HoldoutSubsample = s.HoldoutSubsample,
            Schedule = plan.Method.CreateSchedule(pruning),
            Criterion = PruningMethod.CreateCriterion(pruning),
            Method = method,
            Progress = new ProgressAdapter(progress),
        };
    }

    /// <summary>
    /// Structured pruning kills whole neurons: an MLP trained with it is saved physically without them
    /// (<see cref="ModelCompaction"/>), under the hidden sizes it now has, so eval, predict and export run the smaller model.
    /// </summary>
    private static (Layer Model, TrainingPlan Plan) WithoutDeadUnits(Layer model, TrainingPlan plan)
    {
        if (plan.Settings.Criterion != PruningCriterionKind.Structured || plan.Model is not MlpSpec || model is not Sequential sequential)
        {
            return (model, plan);
        }

        var compact = ModelCompaction.Compact(sequential);
        int[] hidden = [.. compact.Layers.OfType<Dense>().SkipLast(1).Select(d => d.Weight.Value.Dim(0))];
        return (compact, plan with { Model = new MlpSpec(hidden) });
    }

    /// <summary>Writes a run's selected model into its run folder, where eval, predict and export look for it; returns the file's size.</summary>
    private static long SaveModel(string runDirectory, Layer model, TrainingPlan plan, LoadedData data, string method)
    {
        string path = Path.Combine(runDirectory, Model.FileName);
        new Model(model, data.Train.ClassNames, data.PreprocessorJson is null ? null : TabularPreprocessor.FromJson(data.PreprocessorJson), RunMetadata(plan, method))
            .Save(path);
        return new FileInfo(path).Length;
    }

    private static Dictionary<string, string> RunMetadata(TrainingPlan plan, string method) =>
        ModelFactory.RunMetadata(plan.Model, plan.Data, plan.Settings.Seed, plan.Settings.Dropout, method);

    private static void CheckCompatible(Model saved, Dataset test)
    {
        if (!test.ExampleShape.AsSpan().SequenceEqual(saved.InputShape) || test.ClassCount != saved.ClassNames.Count)
        {
            throw new UsageException(
                $"the model expects examples of shape [{string.Join(", ", saved.InputShape)}] with {saved.ClassNames.Count} classes; " +
                $"the data has [{string.Join(", ", test.ExampleShape)}] with {test.ClassCount}");
        }
    }

    /// <summary>Reports synchronously, unlike <see cref="Progress{T}"/>, which would post to the thread pool.</summary>
    private sealed class Progress(Action<Occam.Benchmarks.TabularSeedResult> report) : IProgress<Occam.Benchmarks.TabularSeedResult>
    {
        public void Report(Occam.Benchmarks.TabularSeedResult value) => report(value);
    }

    /// <summary>Turns the trainer's per-batch progress into the command line's progress updates.</summary>
    private sealed class ProgressAdapter(IProgressSink sink) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            double completed = value.Epoch - 1 + (value.TotalBatches == 0 ? 1 : (double)value.Batch / value.TotalBatches);
            string? status = value.Record is { } r
                ? r.HoldoutRmse is { } rmse
                    ? string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}: held-out {r.HoldoutLoss:F4} (RMSE {rmse:G4}), density {r.Density:P0}")
                    : string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}: held-out {r.HoldoutLoss:F4}, density {r.Density:P0}")
                : null;
            if (status is not null || value.Batch % 50 == 0)
            {
                sink.Report(new ProgressUpdate(value.Method, completed, value.TotalEpochs, status));
            }
        }
    }
}
