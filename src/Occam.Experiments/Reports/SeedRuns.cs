using System.Globalization;

namespace Occam.Reports;

/// <summary>The runs of one seed of a comparison repeated over seeds.</summary>
/// <param name="Seed">The seed (split, initialisation, batch order).</param>
/// <param name="Runs">That seed's runs, one per method.</param>
public sealed record SeedRuns(int Seed, IReadOnlyList<ReportedRun> Runs)
{
    /// <summary>The subfolder of a comparison's output directory that holds <paramref name="seed"/>'s runs: <c>seedS</c>.</summary>
    public static string Folder(int seed) => string.Create(CultureInfo.InvariantCulture, $"seed{seed}");

    /// <summary>
    /// The seeds of a comparison over seeds in <paramref name="directory"/>, read from its <see cref="Folder"/>s in
    /// ascending seed order; empty when the directory holds runs of its own (a run, or a comparison of one seed).
    /// </summary>
    /// <exception cref="InvalidDataException">A seed folder holds no run, or an unreadable one.</exception>
    public static IReadOnlyList<SeedRuns> ReadAll(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (File.Exists(Path.Combine(directory, Occam.Training.RunRecorder.SummaryFileName))
            || Directory.GetDirectories(directory).Any(d => File.Exists(Path.Combine(d, Occam.Training.RunRecorder.SummaryFileName))))
        {
            return [];
        }

        var seeds = new List<SeedRuns>();
        foreach (string folder in Directory.GetDirectories(directory))
        {
            string name = Path.GetFileName(folder);
            if (name.StartsWith("seed", StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int seed) && Folder(seed) == name)
            {
                seeds.Add(new SeedRuns(seed, ReportedRun.ReadAll(folder)));
            }
        }

        return [.. seeds.OrderBy(s => s.Seed)];
    }
}

/// <summary>A figure over seeds: its mean and sample standard deviation (NaN with a single seed).</summary>
/// <param name="Mean">The mean.</param>
/// <param name="StandardDeviation">The sample standard deviation (n − 1 in the denominator).</param>
public readonly record struct SeedSpread(double Mean, double StandardDeviation)
{
    /// <summary>The mean and sample standard deviation of <paramref name="values"/> (at least one).</summary>
    public static SeedSpread Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A spread needs at least one value.", nameof(values));
        }

        double mean = values.Average();
        double squares = values.Sum(v => (v - mean) * (v - mean));
        return new SeedSpread(mean, values.Count > 1 ? Math.Sqrt(squares / (values.Count - 1)) : double.NaN);
    }

    /// <summary>"mean ± sd" (just the mean without a deviation), each multiplied by <paramref name="scale"/> and written in <paramref name="format"/>.</summary>
    public string Format(string format, double scale = 1) => double.IsNaN(StandardDeviation)
        ? (Mean * scale).ToString(format, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{(Mean * scale).ToString(format, CultureInfo.InvariantCulture)} ± {(StandardDeviation * scale).ToString(format, CultureInfo.InvariantCulture)}");
}

/// <summary>
/// One method's selected-epoch figures over the seeds of a comparison. A test figure is null when a seed's run lacks it
/// (no test split; accuracy in regression, RMSE in classification).
/// </summary>
/// <param name="Method">The method (its run's name).</param>
/// <param name="Seeds">How many seeds ran the method.</param>
/// <param name="SelectedEpoch">The selected epoch.</param>
/// <param name="TestLoss">The test loss.</param>
/// <param name="TestAccuracy">The test accuracy (classification).</param>
/// <param name="TestRmse">The test RMSE in the target's units (regression).</param>
/// <param name="Density">The selected model's density.</param>
/// <param name="TrainSeconds">The run's training time in seconds.</param>
public sealed record MethodOverSeeds(string Method, int Seeds, SeedSpread SelectedEpoch, SeedSpread? TestLoss, SeedSpread? TestAccuracy,
    SeedSpread? TestRmse, SeedSpread Density, SeedSpread TrainSeconds)
{
    /// <summary>Each method's figures over <paramref name="seeds"/>, methods in the order they first appear.</summary>
    public static IReadOnlyList<MethodOverSeeds> From(IReadOnlyList<SeedRuns> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var runs = seeds.SelectMany(s => s.Runs).ToArray();
        return [.. runs.Select(r => r.Name).Distinct(StringComparer.Ordinal).Select(method =>
        {
            var best = runs.Where(r => r.Name == method).Select(r => r.Summary).ToArray();
            return new MethodOverSeeds(method, best.Length,
                SeedSpread.Of([.. best.Select(s => (double)s.Best.Epoch)]),
                Spread(best, s => s.Best.TestLoss),
                Spread(best, s => s.Best.TestAccuracy),
                Spread(best, s => s.Best.TestRmse),
                SeedSpread.Of([.. best.Select(s => s.Best.Density)]),
                SeedSpread.Of([.. best.Select(s => s.TotalTrainSeconds)]));
        })];
    }

    private static SeedSpread? Spread(IReadOnlyList<Occam.Training.RunSummary> runs, Func<Occam.Training.RunSummary, double?> figure)
    {
        double?[] values = [.. runs.Select(figure)];
        return values.All(v => v.HasValue) ? SeedSpread.Of([.. values.Select(v => v!.Value)]) : null;
    }
}
