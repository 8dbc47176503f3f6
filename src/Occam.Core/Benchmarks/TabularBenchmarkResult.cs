namespace Occam.Benchmarks;

/// <summary>One method on one seed of a tabular benchmark.</summary>
/// <param name="Method">The method's result key, e.g. "occam_paper".</param>
/// <param name="Seed">The seed.</param>
/// <param name="LogLoss">Test log-loss, probabilities clipped to [1e-7, 1].</param>
/// <param name="Accuracy">Test accuracy.</param>
/// <param name="NonzeroParams">Nonzero parameters of the selected model.</param>
/// <param name="Density">Nonzero over all parameters of the selected model.</param>
/// <param name="Seconds">Training wall time (posthoc includes the dense training it starts from).</param>
/// <param name="SelectedEpoch">The epoch of the selected model.</param>
public sealed record TabularSeedResult(string Method, int Seed, double LogLoss, double Accuracy, long NonzeroParams, double Density,
    double Seconds, int SelectedEpoch);

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

        double loss = 0, accuracy = 0, nonzero = 0, density = 0, seconds = 0;
        foreach (var s in seeds)
        {
            loss += s.LogLoss;
            accuracy += s.Accuracy;
            nonzero += s.NonzeroParams;
            density += s.Density;
            seconds += s.Seconds;
        }

        int n = seeds.Count;
        return new TabularMethodResult(loss / n, accuracy / n, nonzero / n, density / n, seconds / n, seeds);
    }
}

/// <summary>
/// Every method's figures on one tabular data set. <see cref="Methods"/> is keyed by result key ("dense", "occam",
/// "occam_paper", "posthoc"); callers add their own baselines (e.g. "rf", "gbdt") on the same splits.
/// </summary>
/// <param name="Dataset">The data set's name (file name without extension).</param>
/// <param name="Rows">Rows in the file.</param>
/// <param name="Features">Model input features after preprocessing.</param>
/// <param name="Classes">Classes.</param>
/// <param name="Methods">The figures per method.</param>
public sealed record TabularBenchmarkResult(string Dataset, int Rows, int Features, int Classes, IDictionary<string, TabularMethodResult> Methods);
