namespace Occam.Reports;

/// <summary>One epoch of a run as read back from its run records (snake_case JSON, one object per epoch).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch; null for an evaluation without training (e.g. right after a one-shot cut).</param>
/// <param name="HoldoutLoss">Held-out loss after the epoch (the selection criterion).</param>
/// <param name="TestLoss">Test loss after the epoch (reported only), if measured.</param>
/// <param name="TestAccuracy">Test accuracy in [0, 1] after the epoch, if measured.</param>
/// <param name="NonzeroParams">Parameters that are not zero.</param>
/// <param name="TotalParams">All parameters.</param>
/// <param name="Density">Nonzero / total prunable weights, in [0, 1].</param>
/// <param name="PruneRate">Pruning rate applied after the epoch, if the method prunes.</param>
/// <param name="Zeta">The held-out loss ratio zeta, when defined.</param>
/// <param name="TrainSeconds">Wall time of the epoch's training.</param>
/// <param name="TrainFlopsDense">Training FLOPs of the epoch counted as if dense.</param>
/// <param name="TrainFlopsSparse">Training FLOPs of the epoch counting live weights only.</param>
/// <param name="TestRmse">Regression: test root mean squared error in original units, if measured.</param>
/// <param name="TestR2">Regression: test R², if measured.</param>
/// <param name="TestMse">Regression: test mean squared error in original units, if measured.</param>
/// <param name="TestMae">Regression: test mean absolute error in original units, if measured.</param>
public sealed record RecordedEpoch(
    int Epoch,
    double? TrainLoss,
    double HoldoutLoss,
    double? TestLoss,
    double? TestAccuracy,
    long NonzeroParams,
    long TotalParams,
    double Density,
    double? PruneRate,
    double? Zeta,
    double TrainSeconds,
    double TrainFlopsDense,
    double TrainFlopsSparse,
    double? TestRmse = null,
    double? TestR2 = null,
    double? TestMse = null,
    double? TestMae = null);
