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
public sealed record PaperMethodRow(string Method, double SelectedEpoch, double TestLoss, double TestAccuracy, double Density, double NonzeroParams,
    double TrainSeconds);
