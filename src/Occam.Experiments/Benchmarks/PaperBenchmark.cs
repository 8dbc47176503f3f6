using System.Diagnostics;
using System.Globalization;
using Occam.Data;
using Occam.Kernels;
using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Reports;
using Occam.Training;

namespace Occam.Benchmarks;

/// <summary>
/// SPEC §4's four experiments behind <c>occam bench paper</c>: the dense reference model and the CNN on Fashion-MNIST,
/// the tabular suite, and a character-level GPT. Each compares Occam (the <c>occam</c> controller) with dense gradient
/// descent, post-training pruning to Occam's selected density (without and with one fine-tuning epoch) and gradual
/// magnitude pruning (Zhu &amp; Gupta) to that density; the dense reference model and the GPT also run the paper's
/// rule, and the GPT runs both Occam rules on step cadences too (<see cref="PaperMethod"/>).
/// </summary>
/// <remarks>
/// Every run selects its model by held-out loss (10 % of the training data); test figures are only reported. The
/// network experiments write one run directory per method and the plots into a subdirectory of the output directory
/// named after the experiment; <see cref="PaperReport"/> writes <c>report.md</c> and <c>results.json</c> beside them.
/// </remarks>
public static class PaperBenchmark
{
    /// <summary>Network methods in report order (a method's step-cadence variants, <see cref="PaperMethod"/>, follow it).</summary>
    public static IReadOnlyList<string> Methods { get; } = ["occam", "occam-paper", "dense", "posthoc", "posthoc-finetune", "gmp"];

    /// <summary>
    /// The methods that prune to Occam's selected density. When Occam kept every weight they would only redo the dense
    /// run, so they are not run: their rows are the dense run's, labelled <see cref="PaperMethodRow.SameAsDenseNote"/>.
    /// </summary>
    public static IReadOnlyList<string> PrunedToOccamsDensity { get; } = ["posthoc", "posthoc-finetune", "gmp"];

    /// <summary>
    /// Runs every experiment of <paramref name="options"/>, writing the sub-runs, plots and report into
    /// <paramref name="outputDirectory"/> (existing and empty). <paramref name="command"/> is recorded in the report.
    /// The run is the sweep of <see cref="PaperSweep.Manifest"/> in one process: its cells are kept in the directory,
    /// and the report is made from them as <c>occam bench merge</c> makes it from a sharded run's.
    /// </summary>
    public static PaperBenchmarkResult Run(PaperBenchmarkOptions options, string outputDirectory, string command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        ArgumentNullException.ThrowIfNull(command);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var manifest = PaperSweep.Manifest(options);
        var sweep = new SweepDirectory(outputDirectory);
        sweep.Claim(manifest);
        RunCells(options, manifest, manifest.Grid(), sweep, cancellationToken);
        return Report(manifest, sweep.Read<PaperExperimentResult>, outputDirectory, command, started, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Runs those of <paramref name="cells"/> (cells of <paramref name="manifest"/>) whose result is not yet in
    /// <paramref name="sweep"/>: each writes its run records into its folder (<see cref="PaperSweep.Folder"/>) and then its
    /// result, so a killed process leaves no cell half there. The Fashion-MNIST images are loaded once per process.
    /// </summary>
    /// <returns>The number of cells run.</returns>
    public static int RunCells(PaperBenchmarkOptions options, SweepManifest manifest, IReadOnlyList<SweepCell> cells, SweepDirectory sweep,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(sweep);
        (Dataset Train, Dataset Test, string Description)? images = null;
        int run = 0;
        foreach (var cell in cells.Where(c => !sweep.Has(c)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (cell.Group == "tabular")
            {
                sweep.Write(cell, RunTabular(options, [cell.Seed], cancellationToken));
                run++;
                continue;
            }

            if (cell.Group is "mlp" or "cnn")
            {
                images ??= LoadImages(options);
            }

            string folder = PaperSweep.Folder(manifest, cell);
            string staging = Path.Combine(sweep.Path, SweepDirectory.CellsFolderName, $".{cell.Key}.staging");
            string final = Path.Combine(sweep.Path, folder);
            // Both exist only when this cell was killed before its result was written: they hold nothing else.
            DeleteIfPresent(staging);
            var result = RunNetworkCell(options with { Seed = cell.Seed }, cell.Group, folder, staging, images ?? default, cancellationToken);
            DeleteIfPresent(final);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(final))!);
            Directory.Move(staging, final);
            sweep.Write(cell, result);
            run++;
        }

        return run;
    }

    /// <summary>
    /// The report of <paramref name="manifest"/>'s sweep from its cells' results (<paramref name="cellResult"/>): each
    /// experiment's per-seed plots (<see cref="RunReport"/>, from the run records in <paramref name="outputDirectory"/>),
    /// <c>report.md</c> and <c>results.json</c>. <paramref name="seconds"/>: the wall time to report (null: the cells' sum).
    /// </summary>
    public static PaperBenchmarkResult Report(SweepManifest manifest, Func<SweepCell, PaperExperimentResult> cellResult, string outputDirectory, string command,
        DateTimeOffset started, double? seconds)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(cellResult);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        ArgumentNullException.ThrowIfNull(command);
        var options = PaperSweep.Options(manifest);
        var grid = manifest.Grid();
        var experiments = new List<PaperExperimentResult>();
        foreach (string name in Experiments.Where(manifest.Groups.Contains))
        {
            var perSeed = grid.Where(c => c.Group == name).Select(c => (c.Seed, Result: cellResult(c))).ToList();
            experiments.Add(name == "tabular" ? CombineTabular(options, perSeed) : OverSeeds(name, perSeed));
        }

        foreach (string folder in experiments.SelectMany(e => e.Plots).Select(p => p[..p.LastIndexOf('/')]).Distinct(StringComparer.Ordinal))
        {
            RunReport.Write(Path.Combine(outputDirectory, folder));
        }

        var result = new PaperBenchmarkResult(started, command, Environment.ProcessorCount, Parallelism.ThreadCount, options.IsQuick,
            seconds ?? experiments.Sum(e => e.Seconds), experiments);
        PaperReport.Write(result, outputDirectory);
        return result;
    }

    private static void DeleteIfPresent(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>One seed of a network experiment (<paramref name="o"/>' seed), its run records written into <paramref name="recordDirectory"/>.</summary>
    private static PaperExperimentResult RunNetworkCell(PaperBenchmarkOptions o, string name, string folder, string recordDirectory,
        (Dataset Train, Dataset Test, string Description) images, CancellationToken cancellationToken)
    {
        var (train, test, imageData) = images;
        return name switch
        {
            "mlp" => RunNetwork(o, recordDirectory, name, folder, "Dense reference model on Fashion-MNIST",
                string.Create(CultureInfo.InvariantCulture,
                    $"784 → {o.MlpHiddenUnits} ReLU → dropout {o.MlpDropout} → 10, Adam 1e-3, batch 32, {o.MlpEpochs} epochs, r0 0.4; {imageData}."),
                seed => ReferenceModels.Mlp(train.ExampleShape, [o.MlpHiddenUnits], train.ClassCount, o.MlpDropout, seed),
                train, test, o.MlpEpochs, o.MlpIncludesPaperRule ? [new PaperMethod(PruningMethods.OccamPaper.Name)] : [], cancellationToken),
            "cnn" => RunNetwork(o, recordDirectory, name, folder, "CNN on Fashion-MNIST",
                string.Create(CultureInfo.InvariantCulture,
                    $"conv3×3({o.CnnChannels}) → pool → conv3×3({2 * o.CnnChannels}) → pool → conv3×3({2 * o.CnnChannels}) → dense({2 * o.CnnChannels}) → 10, ReLU, 'valid' padding, Adam 1e-3, batch 32, {o.CnnEpochs} epochs; {imageData}."),
                seed => ReferenceModels.Cnn(train.ExampleShape, o.CnnChannels, train.ClassCount, seed),
                train, test, o.CnnEpochs, [], cancellationToken),
            _ => RunGpt(o, recordDirectory, folder, cancellationToken),
        };
    }

    /// <summary>The four experiments in report order: the dense reference model, the CNN, the tabular suite, the GPT.</summary>
    public static IReadOnlyList<string> Experiments { get; } = ["mlp", "cnn", "tabular", "gpt"];

    private static (Dataset Train, Dataset Test, string Description) LoadImages(PaperBenchmarkOptions options)
    {
        var images = FashionMnist.Load(options.FashionMnistDirectory);
        var train = Take(images.Train, options.ImageTrainExamples);
        var test = Take(images.Test, options.ImageTestExamples);
        return (train, test, string.Create(CultureInfo.InvariantCulture,
            $"Fashion-MNIST, {train.Count} training images (10 % held out for selection) and {test.Count} test images"));
    }

    /// <summary>
    /// A network experiment from its seeds' results (one folder each when there are several): each method's mean over
    /// the seeds.
    /// </summary>
    private static PaperExperimentResult OverSeeds(string name, IReadOnlyList<(int Seed, PaperExperimentResult Result)> perSeed)
    {
        int[] seeds = [.. perSeed.Select(p => p.Seed)];
        var seedRows = perSeed.SelectMany(p => p.Result.Rows.Select(row => new PaperSeedRow(p.Seed, row))).ToList();
        var first = perSeed[0].Result;
        if (seeds.Length == 1)
        {
            return first with { SeedRows = seedRows };
        }

        var rows = first.Rows.Select(r => Mean(r.Method, [.. seedRows.Where(s => s.Row.Method == r.Method).Select(s => s.Row)])).ToArray();
        string configuration = first.Configuration +
            string.Create(CultureInfo.InvariantCulture, $" Seeds {string.Join(", ", seeds)}: the table gives each method's mean, ± the standard deviation over seeds.");
        return new PaperExperimentResult(name, first.Title, configuration, rows, PaperVerdict.Network(rows), perSeed.Sum(p => p.Result.Seconds),
            [.. perSeed.SelectMany(p => p.Result.Plots)], [])
        {
            SeedRows = seedRows,
            DenseCurve = first.DenseCurve,
        };
    }

    /// <summary>The mean of every figure of <paramref name="rows"/>, one method's rows over seeds (or sets).</summary>
    private static PaperMethodRow Mean(string method, IReadOnlyList<PaperMethodRow> rows) =>
        new(method, rows.Average(r => r.SelectedEpoch), rows.Average(r => r.TestLoss), rows.Average(r => r.TestAccuracy), rows.Average(r => r.Density),
            rows.Average(r => r.NonzeroParams), rows.Average(r => r.TrainSeconds), rows.Average(r => r.SameAsDense));

    private static PaperExperimentResult RunGpt(PaperBenchmarkOptions options, string recordDirectory, string folder, CancellationToken cancellationToken)
    {
        var corpus = TextCorpus.Load(options.TextPath, maxCharacters: options.GptTextCharacters);
        var train = corpus.TrainingWindows(options.GptTrainWindows, options.GptContext, new TrainerOptions().HoldoutFraction, options.Seed);
        var test = corpus.ValidationWindows(options.GptTestWindows, options.GptContext, options.Seed + 1);
        var inv = CultureInfo.InvariantCulture;
        string text = options.GptTextCharacters is int characters
            ? string.Create(inv, $"the first {characters:N0} characters of {Path.GetFileName(options.TextPath)}")
            : Path.GetFileName(options.TextPath);
        string cadences = options.GptPruneEvery.Count == 0
            ? ""
            : string.Create(inv, $"; occam and occam-paper also decide every {string.Join(" or ", options.GptPruneEvery)} optimiser steps (rows METHOD/N)");
        string configuration =
            string.Create(inv, $"character-level GPT, {options.GptLayers} blocks, {options.GptHeads} heads, embedding {options.GptEmbedding}, context {options.GptContext}, vocabulary {corpus.VocabularySize}; ") +
            string.Create(inv, $"{text}: the first 90 % trains ({train.Holdout!.Description}), the last 10 % tests ({test.Count} random windows); ") +
            string.Create(inv, $"Adam 1e-3, batch 32, {options.GptEpochs} epochs{cadences}. Loss and accuracy are per next character.");
        PaperMethod[] extra =
        [
            new(PruningMethods.OccamPaper.Name),
            .. options.GptPruneEvery.SelectMany(every => new PaperMethod[] { new(PruningMethods.Occam.Name, every), new(PruningMethods.OccamPaper.Name, every) }),
        ];
        return RunNetwork(options, recordDirectory, "gpt", folder, "Character-level GPT on the King James Bible", configuration,
            seed => Gpt.Create(corpus.VocabularySize, options.GptContext, options.GptLayers, options.GptHeads, options.GptEmbedding, seed),
            train, test, options.GptEpochs, extra, cancellationToken);
    }

    private static PaperExperimentResult RunNetwork(PaperBenchmarkOptions options, string recordDirectory, string name, string folder, string title,
        string configuration, Func<int, Layer> modelFactory, Dataset train, Dataset test, int epochs, IReadOnlyList<PaperMethod> extra,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var trainer = new TrainerOptions
        {
            Epochs = epochs,
            Seed = options.Seed,
            Schedule = PruningMethods.Occam.CreateSchedule(),
            Method = PruningMethods.Occam.Name,
            Progress = options.Progress is { } progress ? new ExperimentProgress(name, progress) : null,
        };
        var (dense, denseWeights, occam) = Comparison.DenseAndOccam(modelFactory, train, test, trainer, cancellationToken);
        var runs = new List<RunSummary> { dense, occam };
        string[] sameAsDense = Comparison.KeptEveryWeight(occam) ? [.. PrunedToOccamsDensity] : [];
        if (sameAsDense.Length == 0)
        {
            double density = occam.Best.PrunableDensity;
            runs.Add(Comparison.PostTraining(modelFactory(options.Seed), denseWeights, dense, density, trainer, PruningMethods.Posthoc, train, test, cancellationToken));
            runs.Add(Comparison.PostTraining(modelFactory(options.Seed), denseWeights, dense, density, trainer, PruningMethods.PosthocFinetune, train, test, cancellationToken));
            var gmp = PruningMethods.Gmp.CreateSchedule(new PruningMethodOptions { TargetDensity = density });
            runs.Add(new Trainer(trainer with { Schedule = gmp, Method = PruningMethods.Gmp.Name }).Run(modelFactory(options.Seed), train, test, cancellationToken));
        }

        foreach (var method in extra)
        {
            var schedule = PruningMethods.Find(method.Method).CreateSchedule();
            runs.Add(new Trainer(trainer with { Schedule = schedule, Method = method.Name, PruneEvery = method.PruneEvery })
                .Run(modelFactory(options.Seed), train, test, cancellationToken));
        }

        foreach (var run in runs)
        {
            new RunRecorder(Path.Combine(recordDirectory, PaperMethod.Parse(run.Method).Folder)).RecordSummary(run);
        }

        var rows = InReportOrder(runs.Select(r => r.Method).Concat(sameAsDense), method =>
        {
            bool reused = sameAsDense.Contains(method);
            var run = reused ? dense : runs.Single(r => r.Method == method);
            return new PaperMethodRow(method, run.Best.EpochFraction ?? run.SelectedEpoch, run.Best.TestLoss ?? double.NaN, run.Best.TestAccuracy ?? double.NaN,
                run.Best.Density, run.Best.NonzeroParams, run.TotalTrainSeconds, reused ? 1 : 0);
        });
        string[] plots = [.. new[] { ReportPlots.LossFileName, ReportPlots.DensityFileName }.Select(f => $"{folder}/{f}")];
        var curve = dense.Epochs.Where(e => e.Stage == "train").Select(e => new PaperCurvePoint(e.Epoch, e.TrainLoss, e.HoldoutLoss, e.TestLoss));
        return new PaperExperimentResult(name, title, configuration, rows, PaperVerdict.Network(rows), clock.Elapsed.TotalSeconds, plots, [])
        {
            DenseCurve = new PaperDenseCurve(options.Seed, [.. curve]),
        };
    }

    /// <summary>The tabular suite's network methods in run order.</summary>
    private static readonly string[] TabularMethods = ["dense", "occam", "posthoc", "posthoc-finetune", "gmp"];

    /// <summary>The tabular suite on <paramref name="seeds"/> (a sweep's cell: one seed).</summary>
    private static PaperExperimentResult RunTabular(PaperBenchmarkOptions options, int[] seeds, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var tabularOptions = new TabularBenchmarkOptions
        {
            Seeds = seeds,
            Epochs = options.TabularEpochs,
            Methods = TabularMethods,
            Progress = options.TabularProgress,
        };
        var results = TabularFiles(options).Select(f => TabularBenchmark.Run(f, tabularOptions, cancellationToken)).ToList();
        return TabularExperiment(options, results, seeds, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The CSV files of the tabular suite, in ordinal order.</summary>
    private static string[] TabularFiles(PaperBenchmarkOptions options)
    {
        string[] files = options.TabularSets is { } sets
            ? [.. sets.Select(s => Path.Combine(options.TabularDirectory, s))]
            : Directory.GetFiles(options.TabularDirectory, "*.csv");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>The tabular suite from its seeds' results: each set's methods over all the seeds, in seed order.</summary>
    private static PaperExperimentResult CombineTabular(PaperBenchmarkOptions options, IReadOnlyList<(int Seed, PaperExperimentResult Result)> perSeed)
    {
        var first = perSeed[0].Result.TabularSets;
        var results = first.Select((set, i) => set with
        {
            Methods = set.Methods.Keys.ToDictionary(key => key,
                key => TabularMethodResult.FromSeeds([.. perSeed.SelectMany(p => p.Result.TabularSets[i].Methods[key].Seeds)]), StringComparer.Ordinal),
        }).ToList();
        return TabularExperiment(options, results, [.. perSeed.Select(p => p.Seed)], perSeed.Sum(p => p.Result.Seconds));
    }

    private static PaperExperimentResult TabularExperiment(PaperBenchmarkOptions options, IReadOnlyList<TabularBenchmarkResult> results, int[] seeds, double seconds)
    {
        var rows = InReportOrder(TabularMethods, method =>
        {
            string key = TabularBenchmark.ResultKey(method);
            var perSet = results.Select(r => r.Methods[key]).ToList();
            return new PaperMethodRow(method, perSet.Average(m => m.Seeds.Average(s => s.SelectedEpoch)), perSet.Average(m => m.MeanLogLoss),
                perSet.Average(m => m.MeanAccuracy), perSet.Average(m => m.MeanDensity), perSet.Average(m => m.MeanNonzeroParams),
                perSet.Average(m => m.MeanSeconds), perSet.Average(m => m.SameAsDense));
        });
        var seedRows = seeds.SelectMany(seed => rows.Select(row => new PaperSeedRow(seed, Mean(row.Method,
            [.. results.Select(r => r.Methods[TabularBenchmark.ResultKey(row.Method)].Seeds.Single(s => s.Seed == seed)).Select(s => SeedRow(row.Method, s))])))).ToList();
        var inv = CultureInfo.InvariantCulture;
        string configuration =
            string.Create(inv, $"{results.Count} CSV sets of {options.TabularDirectory} ({string.Join(", ", results.Select(r => r.Dataset))}), seeds {string.Join(", ", seeds)}, ") +
            string.Create(inv, $"each a stratified 80/20 train/test split; MLP {string.Join("-", new TabularBenchmarkOptions().HiddenUnits)} ReLU, Adam 1e-3, batch 32, {options.TabularEpochs} epochs. ") +
            "Table: means over sets of the per-set means over seeds; test loss is log-loss with probabilities clipped to [1e-7, 1]. " +
            "Forests and boosted trees: occam bench tabular.";
        return new PaperExperimentResult("tabular", "Tabular suite", configuration, rows, PaperVerdict.Tabular(results), seconds, [], results)
        {
            SeedRows = seedRows,
        };
    }

    /// <summary>One set's figures on one seed as a report row.</summary>
    private static PaperMethodRow SeedRow(string method, TabularSeedResult s) =>
        new(method, s.SelectedEpoch, s.LogLoss, s.Accuracy, s.Density, s.NonzeroParams, s.Seconds, s.SameAsDense ? 1 : 0);

    /// <summary>The rows of <paramref name="methods"/> in the order of <see cref="Methods"/>, each method's cadence variants after it by cadence.</summary>
    private static PaperMethodRow[] InReportOrder(IEnumerable<string> methods, Func<string, PaperMethodRow> row)
    {
        var order = Methods.ToList();
        return [.. methods.Distinct(StringComparer.Ordinal).Select(PaperMethod.Parse)
            .OrderBy(m => order.IndexOf(m.Method)).ThenBy(m => m.PruneEvery ?? 0).Select(m => row(m.Name))];
    }

    /// <summary>Names every run "experiment/method" in progress reports, since each experiment runs the same methods.</summary>
    private sealed class ExperimentProgress(string experiment, IProgress<TrainingProgress> inner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => inner.Report(value with { Method = $"{experiment}/{value.Method}" });
    }

    private static Dataset Take(Dataset data, int? count)
    {
        if (count is not int n || n >= data.Count)
        {
            return data;
        }

        return data.Subset(Enumerable.Range(0, n).ToArray());
    }
}
