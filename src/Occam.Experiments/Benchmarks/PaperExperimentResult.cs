namespace Occam.Benchmarks;

/// <summary>One experiment of <see cref="PaperBenchmark"/>.</summary>
/// <param name="Name">Short name, also the experiment's subdirectory: "mlp", "cnn", "tabular" or "gpt".</param>
/// <param name="Title">Heading of the experiment in the report.</param>
/// <param name="Configuration">The model, data and budget, in words.</param>
/// <param name="Rows">One line per method, Occam first.</param>
/// <param name="WhereOccamLoses">Where Occam does worse than another method, computed from <paramref name="Rows"/> (and the per-set figures).</param>
/// <param name="Seconds">Wall time of the whole experiment.</param>
/// <param name="Plots">Plot files, relative to the benchmark's output directory; empty for the tabular suite.</param>
/// <param name="TabularSets">Per-set figures of the tabular suite; empty for the other experiments.</param>
public sealed record PaperExperimentResult(string Name, string Title, string Configuration, IReadOnlyList<PaperMethodRow> Rows, string WhereOccamLoses,
    double Seconds, IReadOnlyList<string> Plots, IReadOnlyList<TabularBenchmarkResult> TabularSets)
{
    /// <summary>
    /// Each method's figures per seed (tabular: the mean over sets of that seed), in seed order then <see cref="Rows"/>'
    /// order; <see cref="Rows"/> are their means.
    /// </summary>
    public IReadOnlyList<PaperSeedRow> SeedRows { get; init; } = [];

    /// <summary>Dense GD's curve in a network experiment; null for the tabular suite.</summary>
    public PaperDenseCurve? DenseCurve { get; init; }

    /// <summary>The sample standard deviation over seeds of <paramref name="method"/>'s <paramref name="figure"/>; NaN with fewer than two seeds.</summary>
    public double Spread(string method, Func<PaperMethodRow, double> figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        double[] values = [.. SeedRows.Where(r => r.Row.Method == method).Select(r => figure(r.Row))];
        return values.Length < 2 ? double.NaN : Reports.SeedSpread.Of(values).StandardDeviation;
    }
}

/// <summary>One method's figures on one seed of a <see cref="PaperBenchmark"/> experiment.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Row">The figures.</param>
public sealed record PaperSeedRow(int Seed, PaperMethodRow Row);

/// <summary>Dense gradient descent's losses per epoch in a network experiment: where it starts to overfit.</summary>
/// <param name="Seed">The seed of the run shown (the first when the experiment ran on several).</param>
/// <param name="Epochs">One point per trained epoch.</param>
public sealed record PaperDenseCurve(int Seed, IReadOnlyList<PaperCurvePoint> Epochs)
{
    /// <summary>The epoch with the lowest held-out loss, the one selection picks; 0 without epochs.</summary>
    public int HoldoutMinimumEpoch => Epochs.Count == 0 ? 0 : Epochs.MinBy(p => p.HoldoutLoss)!.Epoch;
}

/// <summary>One epoch of a <see cref="PaperDenseCurve"/>.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="HoldoutLoss">Loss on the held-out split.</param>
/// <param name="TestLoss">Loss on the test set (reported, never used to choose).</param>
public sealed record PaperCurvePoint(int Epoch, double? TrainLoss, double HoldoutLoss, double? TestLoss);
