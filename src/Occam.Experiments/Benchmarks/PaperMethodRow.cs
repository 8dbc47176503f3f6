namespace Occam.Benchmarks;

/// <summary>
/// One method's line in a <see cref="PaperBenchmark"/> experiment: figures of its selected model (lowest held-out
/// loss). For the tabular suite every figure is the mean over data sets and seeds.
/// </summary>
/// <param name="Method">The method: "dense", "occam", "occam-paper", "posthoc", "posthoc-finetune" or "gmp".</param>
/// <param name="SelectedEpoch">The selected epoch (tabular: the mean).</param>
/// <param name="TestLoss">Test cross-entropy (tabular: log-loss, probabilities clipped to [1e-7, 1]).</param>
/// <param name="TestAccuracy">Test accuracy in [0, 1].</param>
/// <param name="Density">Nonzero over all parameters.</param>
/// <param name="NonzeroParams">Nonzero parameters.</param>
/// <param name="TrainSeconds">Training wall time; post-training pruning includes the dense run it starts from.</param>
/// <param name="SameAsDense">
/// Share of the row's runs that are the dense run, reused because Occam kept every weight (pruning to its density
/// prunes nothing): 0 or 1 in a network experiment, the share of sets × seeds in the tabular suite.
/// </param>
public sealed record PaperMethodRow(string Method, double SelectedEpoch, double TestLoss, double TestAccuracy, double Density, double NonzeroParams,
    double TrainSeconds, double SameAsDense = 0)
{
    /// <summary>How the report labels a method whose figures are the dense run's.</summary>
    public const string SameAsDenseNote = "same as dense: Occam kept every weight";

    /// <summary>The report's label of <see cref="SameAsDense"/>: the note, with the share when not all runs; null when none.</summary>
    public string? Note => SameAsDense switch
    {
        <= 0 => null,
        >= 1 => SameAsDenseNote,
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"same as dense on {SameAsDense:P0} of the runs: Occam kept every weight there"),
    };
}
