using System.Diagnostics;
using Occam.Benchmarks;
using Occam.Data;
using Occam.Training;

namespace Occam.Baselines;

/// <summary>
/// The tree ensembles' side of the tabular benchmark: the same seeded 80/20 splits and preprocessing as
/// <see cref="TabularBenchmark"/>, so their figures sit in the same table as the networks'.
/// </summary>
public static class TreeBenchmark
{
    /// <summary>The random forest and the gradient-boosted trees, with their default settings.</summary>
    public static IReadOnlyList<ITabularBaseline> DefaultBaselines { get; } = [new RandomForestBaseline(), new GradientBoostedTreesBaseline()];

    /// <summary>The random-forest and gradient-boosted-trees regressors, with their default settings.</summary>
    public static IReadOnlyList<ITabularRegressionBaseline> DefaultRegressionBaselines { get; } =
        [new RandomForestRegressionBaseline(), new GradientBoostedTreesRegressionBaseline()];

    /// <summary>
    /// Fits <paramref name="baseline"/> on the training part of every seed's split of <paramref name="csvPath"/> and scores
    /// it on the test part. Size is the number of tree nodes (internal nodes and leaves); density is reported as 1.
    /// </summary>
    public static TabularMethodResult Run(ITabularBaseline baseline, string csvPath, TabularBenchmarkOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(options);
        var table = CsvTable.Load(csvPath);
        var seeds = new List<TabularSeedResult>();
        foreach (int seed in options.Seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = RunSeed(baseline, table, options, seed);
            seeds.Add(result);
            options.Progress?.Report(result);
        }

        return TabularMethodResult.FromSeeds(seeds);
    }

    /// <summary>
    /// Fits the regressor <paramref name="baseline"/> on the training part of every seed's split of
    /// <paramref name="csvPath"/> (<see cref="TabularBenchmarkOptions.Task"/> must be regression), with the targets in
    /// their original units, and scores it on the test part by <see cref="RegressionMetrics"/>. Size is the number of
    /// tree nodes; density is reported as 1.
    /// </summary>
    public static TabularMethodResult RunRegression(ITabularRegressionBaseline baseline, string csvPath, TabularBenchmarkOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Task != LearningTask.Regression)
        {
            throw new ArgumentException("Regression baselines need options with Task = Regression.", nameof(options));
        }

        var table = CsvTable.Load(csvPath);
        var seeds = new List<TabularSeedResult>();
        foreach (int seed in options.Seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = RunRegressionSeed(baseline, table, options, seed);
            seeds.Add(result);
            options.Progress?.Report(result);
        }

        return TabularMethodResult.FromSeeds(seeds);
    }

    /// <summary>
    /// Fits <paramref name="baseline"/> on the training part of <paramref name="seed"/>'s split of <paramref name="table"/>
    /// and scores it on the test part: one seed of <see cref="Run"/>.
    /// </summary>
    public static TabularSeedResult RunSeed(ITabularBaseline baseline, CsvTable table, TabularBenchmarkOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var data = TabularLoader.FromTable(table, TabularBenchmark.SplitOptions(options, seed));
        var clock = Stopwatch.StartNew();
        var model = baseline.Fit(data.Train, seed);
        double seconds = clock.Elapsed.TotalSeconds;
        var probabilities = model.PredictProbabilities(data.Test);
        return new TabularSeedResult(baseline.Name, seed, Metrics.LogLoss(probabilities, data.Test.Labels),
            Metrics.Accuracy(probabilities, data.Test.Labels), model.Size, 1.0, seconds, 0);
    }

    /// <summary>One seed of <see cref="RunRegression"/>: the regressor fitted and scored on <paramref name="seed"/>'s split.</summary>
    public static TabularSeedResult RunRegressionSeed(ITabularRegressionBaseline baseline, CsvTable table, TabularBenchmarkOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var data = TabularLoader.FromTable(table, TabularBenchmark.SplitOptions(options, seed));
        var scaling = data.Preprocessor.Target!;
        var model = baseline.Fit(data.Train.Features, OriginalUnits(data.Train.Targets!, scaling), seed);
        double[] predicted = Array.ConvertAll(model.Predict(data.Test.Features), p => (double)p);
        double[] actual = Array.ConvertAll(data.Test.Targets!, t => scaling.ToOriginal(t));
        var scores = RegressionMetrics.Compute(predicted, actual);
        return TabularSeedResult.ForRegression(baseline.Name, seed, scores, model.Size, 1.0, model.TrainingSeconds, 0);
    }

    private static float[] OriginalUnits(float[] standardised, TargetScaling scaling) =>
        Array.ConvertAll(standardised, t => (float)scaling.ToOriginal(t));
}
