namespace Occam.Pruning;

/// <summary>Plain (dense) gradient descent: never prunes.</summary>
public sealed class NoPruningSchedule : IPruningSchedule
{
    /// <inheritdoc />
    public string Name => "dense";

    /// <inheritdoc />
    public PruningDecision Decide(PruningContext context) => PruningDecision.None;
}
