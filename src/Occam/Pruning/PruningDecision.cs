namespace Occam.Pruning;

/// <summary>
/// A schedule's decision at the end of an epoch, for the <see cref="Pruner"/> alone to carry out (in the order
/// <see cref="Pruner.EndEpoch"/> documents); a training loop sees the result, a <see cref="PruningStep"/>.
/// </summary>
public readonly record struct PruningDecision
{
    /// <summary>No pruning and no other action.</summary>
    public static PruningDecision None => default;

    /// <summary>Fraction (0..1) of the alive prunable weights to prune now.</summary>
    public double Fraction { get; init; }

    /// <summary>
    /// When set, prune to this alive fraction of the prunable weights (measured after any restore) instead of
    /// <see cref="Fraction"/>.
    /// </summary>
    public double? TargetDensity { get; init; }

    /// <summary>The schedule's pruning rate to report (for Occam, r); usually equal to <see cref="Fraction"/>.</summary>
    public double Rate { get; init; }

    /// <summary>Occam's zeta for this epoch, when the rule computed one.</summary>
    public double? Zeta { get; init; }

    /// <summary>
    /// Restore the best snapshot (weights and masks) before pruning: post-training pruning prunes the selected model. With
    /// nothing to prune it is an undo: training continues from the best model.
    /// </summary>
    public bool RestoreBestFirst { get; init; }

    /// <summary>
    /// Forget the best snapshot after pruning, so that only models from now on compete; the pruner evaluates the pruned
    /// model at once so it is a candidate.
    /// </summary>
    public bool RestartSelection { get; init; }

    /// <summary>Remember the current weights (before pruning) as the rewind point.</summary>
    public bool SaveRewindPoint { get; init; }

    /// <summary>After pruning, set the surviving weights back to the rewind point (lottery-ticket rewinding).</summary>
    public bool Rewind { get; init; }

    /// <summary>
    /// Whether the model just evaluated (before this decision's restore or cut) replaces the best snapshot; null leaves
    /// it to the default rule, the lowest held-out loss. Lets a schedule select with the held-out noise in mind.
    /// </summary>
    public bool? SelectCurrent { get; init; }

    /// <summary>End training after this epoch.</summary>
    public bool Stop { get; init; }
}
