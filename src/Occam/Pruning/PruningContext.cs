namespace Occam.Pruning;

/// <summary>What a schedule sees at the end of an epoch.</summary>
/// <param name="Epoch">The epoch just finished, 1-based.</param>
/// <param name="TotalEpochs">The epoch budget of the run, or null when the caller does not know it.</param>
/// <param name="HoldoutLosses">Held-out loss after each epoch so far; the last entry is this epoch's.</param>
/// <param name="HoldoutStandardErrors">Standard error of each held-out loss (over held-out examples), 0 when unknown.</param>
/// <param name="PrunableDensity">Alive fraction of the prunable weights now, before this epoch's pruning.</param>
public sealed record PruningContext(
    int Epoch,
    int? TotalEpochs,
    IReadOnlyList<double> HoldoutLosses,
    IReadOnlyList<double> HoldoutStandardErrors,
    double PrunableDensity)
{
    /// <summary>Examples in the held-out set behind the losses (a <see cref="Pruner"/> always says).</summary>
    public int? HoldoutExamples { get; init; }

    /// <summary>
    /// Per decision point, the held-out loss difference of the model just evaluated against the selected model at that
    /// time, example by example (<see cref="PairedDifference.None"/> when there was none, or the evaluation did not keep
    /// per-example losses). Empty when the caller does not compute them.
    /// </summary>
    public IReadOnlyList<PairedDifference> PairedWithSelected { get; init; } = [];

    /// <summary>
    /// Per decision point, the same against the model with the lowest held-out loss among those selected before it (the
    /// selected model itself unless a schedule accepted a worse one since).
    /// </summary>
    public IReadOnlyList<PairedDifference> PairedWithLowest { get; init; } = [];
}
