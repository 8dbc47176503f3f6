namespace Occam.Pruning;

/// <summary>
/// Decides, at the end of each epoch, how much to prune now (JaxPruner's "schedule"), and may ask to restore the best
/// snapshot first, to rewind weights, or to stop.
/// </summary>
/// <remarks>
/// Implementations should be pure functions of the <see cref="PruningContext"/> (replaying the history when they need
/// state), so that one instance can serve many runs and seeds. <see cref="Pruner"/> also calls
/// <see cref="Decide"/> once with epoch 0 (empty history) when it is created; there only
/// <see cref="PruningDecision.SaveRewindPoint"/> is honoured, so a schedule can keep the initial weights.
/// </remarks>
public interface IPruningSchedule
{
    /// <summary>The method name written to run records, e.g. "occam-paper".</summary>
    string Name { get; }

    /// <summary>The decision after the epoch described by <paramref name="context"/>.</summary>
    PruningDecision Decide(PruningContext context);
}
