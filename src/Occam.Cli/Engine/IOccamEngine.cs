namespace Occam.Cli.Engine;

/// <summary>
/// Every call the commands make into the Occam library, in one place. The commands parse and validate options,
/// manage output directories and print results; an engine only runs the work. <see cref="LibraryEngine"/> is the
/// production implementation; tests pass their own.
/// </summary>
internal interface IOccamEngine
{
    /// <summary>
    /// Trains <paramref name="plan"/> and writes its artefacts into <paramref name="runDirectory"/> (existing and empty):
    /// <c>summary.json</c>, <c>epochs.jsonl</c> (the run-record fields of the Occam issue) and the selected model.
    /// </summary>
    void Train(TrainingPlan plan, string runDirectory, IProgressSink progress, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the comparison of the Occam issue (dense GD, Occam, post-training pruning to Occam's density with and without
    /// fine-tuning) on the same data and seed, writing one run directory per method as subdirectories of
    /// <paramref name="comparisonDirectory"/> (existing and empty), each laid out as <see cref="Train"/> lays out its own.
    /// </summary>
    void Compare(TrainingPlan plan, string comparisonDirectory, IProgressSink progress, CancellationToken cancellationToken);

    /// <summary>
    /// What typed ingestion decides about a CSV plan's file (column kinds, missing cells, levels), fitted as the run will
    /// fit it; throws the <see cref="Occam.Data.DataFormatException"/> the run would (an ambiguous column, say) before any
    /// run folder exists.
    /// </summary>
    Occam.Data.TabularSchema DescribeCsv(TrainingPlan plan);

    /// <summary>The task a CSV file's label column implies (<paramref name="labelColumn"/>, or the default one), and why.</summary>
    Occam.Data.TaskInference InferTask(string csvPath, string? labelColumn);

    /// <summary>Evaluates a saved model on a data set's test split.</summary>
    EvaluationResult Evaluate(EvaluationRequest request, IProgressSink progress, CancellationToken cancellationToken);

    /// <summary>
    /// Class probabilities of a saved model for every row of a CSV file (preprocessed as at training); for a regression
    /// model one column, named after the target, of predictions in the target's original units.
    /// </summary>
    PredictionTable Predict(string modelPath, string inputCsvPath, int threads, CancellationToken cancellationToken);

    /// <summary>Runs the kernel micro-benchmarks; results in the order to print them.</summary>
    IReadOnlyList<KernelScore> BenchmarkKernels(CancellationToken cancellationToken);

    /// <summary>Seconds of one training epoch of the dense reference model over <paramref name="examples"/> synthetic examples.</summary>
    double BenchmarkEpoch(int examples, int threads, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the tabular benchmark's <paramref name="methods"/> (network methods by name, and the tree ensembles "rf" and
    /// "gbdt") on seed <paramref name="seed"/>'s split of one CSV file (80/20, stratified for classification), handing
    /// each method's result to <paramref name="finished"/> as soon as it is there.
    /// </summary>
    void BenchmarkTabular(string csvPath, int seed, IReadOnlyList<string> methods, int epochs, Occam.Data.LearningTask task,
        Action<Occam.Benchmarks.TabularCellResult> finished, IProgressSink progress, CancellationToken cancellationToken);

    /// <summary>The sparse linear-regression demonstration at <paramref name="seed"/> (Occam against plain gradient descent).</summary>
    Occam.Benchmarks.SparseRegressionResult DemoSparseRegression(int seed, CancellationToken cancellationToken);

    /// <summary>
    /// Runs SPEC §4's four experiments with <paramref name="options"/>' budgets on <paramref name="threads"/> worker threads, writing the sub-runs, plots,
    /// <c>report.md</c> and <c>results.json</c> into <paramref name="outputDirectory"/> (existing and empty);
    /// <paramref name="command"/> is recorded in the report.
    /// </summary>
    Occam.Benchmarks.PaperBenchmarkResult BenchmarkPaper(Occam.Benchmarks.PaperBenchmarkOptions options, int threads, string outputDirectory, string command,
        IProgressSink progress, CancellationToken cancellationToken);

    /// <summary>
    /// Runs those of <paramref name="cells"/> (cells of <paramref name="sweep"/>, a <c>bench paper</c> sweep with
    /// <paramref name="options"/>) whose result is not yet in <paramref name="sweepDirectory"/>, each writing its result there.
    /// </summary>
    /// <returns>The number of cells run.</returns>
    int BenchmarkPaperCells(Occam.Benchmarks.PaperBenchmarkOptions options, int threads, Occam.Benchmarks.SweepManifest sweep,
        IReadOnlyList<Occam.Benchmarks.SweepCell> cells, string sweepDirectory, IProgressSink progress, CancellationToken cancellationToken);

    /// <summary>Training-epoch seconds and inference throughput of the reference model at each density of <paramref name="options"/> (issue 6).</summary>
    IReadOnlyList<Occam.Benchmarks.SparseBenchmarkRow> BenchmarkSparse(Occam.Benchmarks.SparseBenchmarkOptions options, CancellationToken cancellationToken);
}
