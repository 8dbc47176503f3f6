using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Training;

namespace Occam.Benchmarks;

/// <summary>
/// The tabular benchmark behind <c>occam bench tabular</c> and issue 9's measurement: for one CSV file, per seed, a
/// stratified train/test split (<see cref="TabularLoader"/>, preprocessing fitted on the training part; for
/// regression a plain seeded split and a standardised target, see <see cref="TabularBenchmarkOptions.Task"/>), then each
/// method trains a freshly initialised MLP with the same initialisation, held-out split and batch order, and its
/// selected model (lowest held-out loss) is scored on the test part.
/// </summary>
/// <remarks>
/// Tree baselines live outside the core library: a caller reproduces the same splits with
/// <see cref="SplitOptions"/> and adds its
/// results to <see cref="TabularBenchmarkResult.Methods"/> under its own keys.
/// </remarks>
public static class TabularBenchmark
{
    /// <summary>
    /// The methods that prune the dense run's selected model to Occam's selected density after training: without
    /// ("posthoc") and with one fine-tuning epoch ("posthoc-finetune"), as in <see cref="Comparison"/>.
    /// </summary>
    public static IReadOnlyList<string> PostTrainingMethods { get; } = [PruningMethods.Posthoc.Name, PruningMethods.PosthocFinetune.Name];

    /// <summary>The result key of a method name: "occam-paper" → "occam_paper".</summary>
    public static string ResultKey(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.Replace('-', '_');
    }

    /// <summary>The loader options of one seed's split, so that other methods (e.g. tree baselines) score on the same rows.</summary>
    public static TabularOptions SplitOptions(TabularBenchmarkOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TabularOptions { Seed = seed, TestFraction = options.TestFraction, Task = options.Task };
    }

    /// <summary>
    /// The MLP the benchmark trains: Dense layers of <paramref name="hiddenUnits"/> with ReLU, then a Dense layer per
    /// class, each on <paramref name="kernels"/>.
    /// </summary>
    public static Sequential CreateModel(int features, int classes, IReadOnlyList<int> hiddenUnits, int seed, KernelPath kernels = KernelPath.Automatic)
    {
        ArgumentNullException.ThrowIfNull(hiddenUnits);
        var layers = new List<Layer>();
        foreach (int units in hiddenUnits)
        {
            layers.Add(new Dense(units) { KernelPath = kernels });
            layers.Add(new ReLU());
        }

        layers.Add(new Dense(classes) { KernelPath = kernels });
        return Sequential.Create([features], seed, [.. layers]);
    }

    /// <summary>Runs every method of <paramref name="options"/> on the CSV file at <paramref name="csvPath"/>.</summary>
    public static TabularBenchmarkResult Run(string csvPath, TabularBenchmarkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        var o = options ?? new TabularBenchmarkOptions();
        CheckMethods(o);
        var table = CsvTable.Load(csvPath);
        var perMethod = new Dictionary<string, List<TabularSeedResult>>();
        TabularSeedRuns? runs = null;
        foreach (int seed in o.Seeds)
        {
            runs = new TabularSeedRuns(table, o, seed, cancellationToken);
            foreach (string method in InRunOrder(o.Methods))
            {
                var result = runs.Run(method);
                if (!perMethod.TryGetValue(result.Method, out var list))
                {
                    list = [];
                    perMethod[result.Method] = list;
                }

                list.Add(result);
                o.Progress?.Report(result);
            }
        }

        var methods = new Dictionary<string, TabularMethodResult>();
        foreach (var (key, seeds) in perMethod)
        {
            methods[key] = TabularMethodResult.FromSeeds(seeds);
        }

        return new TabularBenchmarkResult(Path.GetFileNameWithoutExtension(csvPath), table.RowCount, runs?.Features ?? 0, runs?.Classes ?? 0, methods, o.Task);
    }

    /// <summary>
    /// Refuses method lists whose post-training methods lack what they prune from: "posthoc" needs "dense" and "occam",
    /// "gmp" needs "occam" before it.
    /// </summary>
    public static void CheckMethods(TabularBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (PostTrainingMethods.Any(options.Methods.Contains) && !(options.Methods.Contains(PruningMethods.Dense.Name) && options.Methods.Contains(PruningMethods.Occam.Name)))
        {
            throw new ArgumentException("\"posthoc\" prunes the dense model to Occam's density: it needs \"dense\" and \"occam\".", nameof(options));
        }

        var methodOrder = options.Methods.ToList();
        int occamIndex = methodOrder.IndexOf(PruningMethods.Occam.Name);
        int gmpIndex = methodOrder.IndexOf(PruningMethods.Gmp.Name);
        if (gmpIndex >= 0 && (occamIndex < 0 || occamIndex > gmpIndex))
        {
            throw new ArgumentException("\"gmp\" prunes gradually to Occam's density: \"occam\" must come before it.", nameof(options));
        }
    }

    /// <summary>The post-training methods last, so that their prerequisites are reported first, as they always were.</summary>
    private static IEnumerable<string> InRunOrder(IReadOnlyList<string> methods) =>
        methods.Where(m => !PostTrainingMethods.Contains(m)).Concat(methods.Where(PostTrainingMethods.Contains));

    /// <summary>
    /// Mean log-loss (<see cref="Metrics.LogLossOfLogits"/>: probabilities clipped to [<see cref="Metrics.DefaultClip"/>, 1],
    /// as the tree baselines' <see cref="Metrics.LogLoss"/>) and accuracy of <paramref name="model"/> on <paramref name="data"/>.
    /// </summary>
    public static (double LogLoss, double Accuracy) Score(Layer model, Dataset data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.LabelsPerExample != 1 || data.Count == 0)
        {
            throw new ArgumentException("Scoring needs a non-empty data set with one label per example.", nameof(data));
        }

        var input = BatchCopy.CreateInput(data, batchSize);
        var labels = new int[batchSize];
        double sum = 0;
        long correct = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            BatchCopy.FillRange(data, start, n, input, labels);
            var logits = model.Forward(input, training: false);
            int classes = logits.Dim(logits.Rank - 1);
            var values = logits.Span;
            for (int r = 0; r < n; r++)
            {
                var row = values.Slice(r * classes, classes);
                sum += Metrics.LogLossOfLogits(row, labels[r]);
                if (TensorPrimitives.IndexOfMax<float>(row) == labels[r])
                {
                    correct++;
                }
            }
        }

        return (sum / data.Count, (double)correct / data.Count);
    }

    /// <summary>Scores the selected model of <paramref name="summary"/> on the test part: log-loss and accuracy, or the regression figures.</summary>
    internal static TabularSeedResult Score(string method, int seed, Layer model, RunSummary summary, Dataset test)
    {
        if (test.Task == LearningTask.Regression)
        {
            var scores = new Evaluator().Evaluate(model, test).Regression!.Value;
            return TabularSeedResult.ForRegression(ResultKey(method), seed, scores, summary.Best.NonzeroParams, summary.Best.Density,
                summary.TotalTrainSeconds, summary.SelectedEpoch);
        }

        var (logLoss, accuracy) = Score(model, test);
        return new TabularSeedResult(ResultKey(method), seed, logLoss, accuracy, summary.Best.NonzeroParams, summary.Best.Density,
            summary.TotalTrainSeconds, summary.SelectedEpoch);
    }
}
