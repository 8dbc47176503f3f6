using Occam.Data;
using Occam.Training;

namespace Occam.Benchmarks;

/// <summary>One method on one seed of a tabular benchmark.</summary>
/// <param name="Method">The method's result key, e.g. "occam_paper".</param>
/// <param name="Seed">The seed.</param>
/// <param name="LogLoss">Test log-loss, probabilities clipped to [1e-7, 1] (NaN for regression).</param>
/// <param name="Accuracy">Test accuracy (NaN for regression).</param>
/// <param name="NonzeroParams">Nonzero parameters of the selected model.</param>
/// <param name="Density">Nonzero over all parameters of the selected model.</param>
/// <param name="Seconds">Training wall time (posthoc includes the dense training it starts from).</param>
/// <param name="SelectedEpoch">The epoch of the selected model.</param>
/// <param name="Regression">Regression only: test MSE, RMSE, MAE and R² in the target's original units.</param>
public sealed record TabularSeedResult(string Method, int Seed, double LogLoss, double Accuracy, long NonzeroParams, double Density,
    double Seconds, int SelectedEpoch, RegressionScores? Regression = null)
{
    /// <summary>A regression result: log-loss and accuracy are NaN, <paramref name="scores"/> holds the figures.</summary>
    public static TabularSeedResult ForRegression(string method, int seed, RegressionScores scores, long nonzeroParams, double density,
        double seconds, int selectedEpoch) =>
        new(method, seed, double.NaN, double.NaN, nonzeroParams, density, seconds, selectedEpoch, scores);

    /// <summary>
    /// True when these are the dense run's figures, reused because Occam kept every weight on this seed (a method
    /// pruning to Occam's density would only redo the dense run).
    /// </summary>
    public bool SameAsDense { get; init; }
}

/// <summary>One method's figures over the seeds, averaged.</summary>
/// <param name="MeanLogLoss">Mean test log-loss (clipped at 1e-7).</param>
/// <param name="MeanAccuracy">Mean test accuracy.</param>
/// <param name="MeanNonzeroParams">Mean nonzero parameters of the selected models.</param>
/// <param name="MeanDensity">Mean density (nonzero over all parameters).</param>
/// <param name="MeanSeconds">Mean training wall time per seed.</param>
/// <param name="Seeds">The per-seed figures.</param>
public sealed record TabularMethodResult(double MeanLogLoss, double MeanAccuracy, double MeanNonzeroParams, double MeanDensity,
    double MeanSeconds, IReadOnlyList<TabularSeedResult> Seeds)
{
    /// <summary>Averages per-seed figures.</summary>
    public static TabularMethodResult FromSeeds(IReadOnlyList<TabularSeedResult> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("At least one seed is needed.", nameof(seeds));
        }

        double loss = 0, accuracy = 0, nonzero = 0, density = 0, seconds = 0, rmse = 0, r2 = 0;
        int sameAsDense = 0;
        foreach (var s in seeds)
        {
            sameAsDense += s.SameAsDense ? 1 : 0;
            loss += s.LogLoss;
            accuracy += s.Accuracy;
            nonzero += s.NonzeroParams;
            density += s.Density;
            seconds += s.Seconds;
            rmse += s.Regression?.Rmse ?? double.NaN;
            r2 += s.Regression?.R2 ?? double.NaN;
        }

        int n = seeds.Count;
        return new TabularMethodResult(loss / n, accuracy / n, nonzero / n, density / n, seconds / n, seeds) { MeanRmse = rmse / n, MeanR2 = r2 / n, SameAsDense = (double)sameAsDense / n };
    }

    /// <summary>Share of the seeds whose figures are the dense run's (see <see cref="TabularSeedResult.SameAsDense"/>).</summary>
    public double SameAsDense { get; init; }

    /// <summary>Regression: mean test RMSE in original units (NaN for classification).</summary>
    public double MeanRmse { get; init; } = double.NaN;

    /// <summary>Regression: mean test R² (NaN for classification).</summary>
    public double MeanR2 { get; init; } = double.NaN;
}

/// <summary>
/// Every method's figures on one tabular data set. <see cref="Methods"/> is keyed by result key ("dense", "occam",
/// "occam_paper", "posthoc"); callers add their own baselines (e.g. "rf", "gbdt") on the same splits.
/// </summary>
/// <param name="Dataset">The data set's name (file name without extension).</param>
/// <param name="Rows">Rows in the file.</param>
/// <param name="Features">Model input features after preprocessing.</param>
/// <param name="Classes">Classes (1 for regression: one output).</param>
/// <param name="Methods">The figures per method.</param>
/// <param name="Task">Classification or regression.</param>
public sealed record TabularBenchmarkResult(string Dataset, int Rows, int Features, int Classes, IDictionary<string, TabularMethodResult> Methods,
    LearningTask Task = LearningTask.Classification);
