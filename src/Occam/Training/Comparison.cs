using Occam.Data;
using Occam.Layers;
using Occam.Pruning;

namespace Occam.Training;

/// <summary>
/// The comparison the method is judged by (SPEC §4), as one call: per seed, plain gradient descent ("dense"), Occam
/// ("occam", or <see cref="TrainerOptions.Method"/>), and the dense run's selected model pruned after training to
/// Occam's selected prunable density, without ("posthoc") and with one fine-tuning epoch ("posthoc-finetune").
/// </summary>
/// <remarks>
/// Every run of a seed uses the same model initialisation (<c>modelFactory(seed)</c>), the same held-out split and the
/// same batch order. The posthoc runs prune with <see cref="TrainerOptions.Criterion"/>; their training time and FLOPs
/// include the dense training they start from. <see cref="TrainerOptions.Recorder"/> is ignored (one directory cannot
/// hold several runs); <see cref="TrainerOptions.Progress"/> receives every run's progress.
/// </remarks>
public static class Comparison
{
    /// <summary>Method names of the runs, in the order <c>Run</c> returns them for each seed.</summary>
    public static IReadOnlyList<string> Methods { get; } =
        [PruningMethods.Dense.Name, PruningMethods.Occam.Name, PruningMethods.Posthoc.Name, PruningMethods.PosthocFinetune.Name];

    /// <summary>
    /// Runs the comparison. <paramref name="modelFactory"/> returns a freshly built model initialised from the seed;
    /// <paramref name="options"/>' schedule is Occam's (default: the paper's rule). Returns four summaries per seed, in
    /// seed order, each in the order of <see cref="Methods"/>.
    /// </summary>
    public static IReadOnlyList<RunSummary> Run(Func<int, Layer> modelFactory, Dataset train, Dataset? test, TrainerOptions options,
        IReadOnlyList<int> seeds, CancellationToken cancellationToken = default) =>
        Run(modelFactory, train, test, options, seeds, static (_, _) => { }, cancellationToken);

    /// <summary>
    /// Runs the comparison as <see cref="Run(Func{int, Layer}, Dataset, Dataset?, TrainerOptions, IReadOnlyList{int}, CancellationToken)"/>
    /// does, and hands each run to <paramref name="finished"/> as it ends, with the model holding that run's selected
    /// weights (e.g. to save it before the next run replaces it).
    /// </summary>
    public static IReadOnlyList<RunSummary> Run(Func<int, Layer> modelFactory, Dataset train, Dataset? test, TrainerOptions options,
        IReadOnlyList<int> seeds, Action<RunSummary, Layer> finished, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelFactory);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(finished);
        var results = new List<RunSummary>(seeds.Count * Methods.Count);
        void Finish(RunSummary run, Layer model)
        {
            results.Add(run);
            finished(run, model);
        }

        foreach (int seed in seeds)
        {
            var seeded = options with { Seed = seed, Recorder = null };
            var (dense, denseWeights, occam) = DenseAndOccam(modelFactory, train, test, seeded, Finish, cancellationToken);
            foreach (var method in new[] { PruningMethods.Posthoc, PruningMethods.PosthocFinetune })
            {
                var model = modelFactory(seed);
                Finish(PostTraining(model, denseWeights, dense, occam.Best.PrunableDensity, seeded, method, train, test, cancellationToken), model);
            }
        }

        return results;
    }

    /// <summary>
    /// The first two runs of the comparison on <paramref name="options"/>' seed: plain gradient descent ("dense"), with
    /// its selected model's weights, and Occam (<paramref name="options"/>' schedule and method, default "occam"), each
    /// from <c>modelFactory(options.Seed)</c>.
    /// </summary>
    public static (RunSummary Dense, ParameterSnapshot DenseWeights, RunSummary Occam) DenseAndOccam(Func<int, Layer> modelFactory,
        Dataset train, Dataset? test, TrainerOptions options, CancellationToken cancellationToken = default) =>
        DenseAndOccam(modelFactory, train, test, options, static (_, _) => { }, cancellationToken);

    private static (RunSummary Dense, ParameterSnapshot DenseWeights, RunSummary Occam) DenseAndOccam(Func<int, Layer> modelFactory,
        Dataset train, Dataset? test, TrainerOptions options, Action<RunSummary, Layer> finished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelFactory);
        ArgumentNullException.ThrowIfNull(options);
        var denseModel = modelFactory(options.Seed);
        var dense = new Trainer(options with { Schedule = PruningMethods.Dense.CreateSchedule(), Method = PruningMethods.Dense.Name })
            .Run(denseModel, train, test, cancellationToken);
        var denseWeights = new ParameterSnapshot();
        denseWeights.Capture(denseModel.Parameters, dense.SelectedEpoch);
        finished(dense, denseModel);
        var occamModel = modelFactory(options.Seed);
        var occam = new Trainer(options with { Method = options.Method ?? PruningMethods.Occam.Name })
            .Run(occamModel, train, test, cancellationToken);
        finished(occam, occamModel);
        return (dense, denseWeights, occam);
    }

    /// <summary>
    /// True when <paramref name="occam"/>'s selected model kept every prunable weight. Pruning to its density then
    /// removes nothing, so post-training pruning and gradual magnitude pruning to it would only redo the dense run.
    /// </summary>
    public static bool KeptEveryWeight(RunSummary occam)
    {
        ArgumentNullException.ThrowIfNull(occam);
        return occam.Best.PrunableDensity >= 1;
    }

    /// <summary>
    /// Post-training pruning without training the dense model again: writes <paramref name="denseWeights"/> (the dense
    /// run's selected model) into <paramref name="model"/>, makes the cut the post-training <paramref name="method"/>'s
    /// schedule (<see cref="OneShotSchedule"/>) makes, to the prunable density <paramref name="density"/> with
    /// <paramref name="options"/>' criterion, fine-tunes for the schedule's epochs (0: only evaluates the cut model) and
    /// returns the run, whose time and FLOPs include the dense run's.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not a post-training method.</exception>
    public static RunSummary PostTraining(Layer model, ParameterSnapshot denseWeights, RunSummary dense, double density,
        TrainerOptions options, PruningMethod method, Dataset train, Dataset? test, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(denseWeights);
        ArgumentNullException.ThrowIfNull(dense);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(method);
        var posthoc = method.CreateSchedule(new PruningMethodOptions { TargetDensity = density }) as OneShotSchedule
            ?? throw new ArgumentException($"'{method.Name}' is not a post-training method.", nameof(method));
        denseWeights.Restore(model.Parameters);
        new PruningMasks(model.Parameters).PruneToDensity(options.Criterion, posthoc.TargetDensity);
        var run = new Trainer(options with { Epochs = posthoc.FineTuneEpochs, Schedule = PruningMethods.Dense.CreateSchedule(), Method = method.Name })
            .Run(model, train, test, cancellationToken);
        return run with
        {
            TotalTrainSeconds = dense.TotalTrainSeconds + run.TotalTrainSeconds,
            TotalTrainFlopsDense = dense.TotalTrainFlopsDense + run.TotalTrainFlopsDense,
            TotalTrainFlopsSparse = dense.TotalTrainFlopsSparse + run.TotalTrainFlopsSparse,
        };
    }
}
