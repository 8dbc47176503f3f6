namespace Occam.Pruning;

/// <summary>
/// Everything a <see cref="Pruner"/> carries from epoch to epoch apart from the masks (which live on the parameters):
/// the held-out loss history the stateless schedules replay, the best snapshot and the rewind point. Checkpoints
/// save it and the divergence guard keeps a copy of the last good epoch's.
/// </summary>
internal sealed class PrunerState
{
    /// <summary>Epochs ended.</summary>
    public int Epoch { get; set; }

    /// <summary>Held-out loss after each epoch.</summary>
    public List<double> Losses { get; } = [];

    /// <summary>Standard error of each held-out loss.</summary>
    public List<double> StandardErrors { get; } = [];

    /// <summary>The best snapshot's held-out loss (+∞ without one).</summary>
    public double BestHoldoutLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Held-out evaluations that competed for selection (a run records one per candidate).</summary>
    public int Candidates { get; set; }

    /// <summary>The index among the candidates of the best one, or −1.</summary>
    public int BestCandidate { get; set; } = -1;

    /// <summary>The best weights and masks so far.</summary>
    public ParameterSnapshot Best { get; } = new();

    /// <summary>The weights a lottery-ticket schedule rewinds to.</summary>
    public ParameterSnapshot RewindPoint { get; } = new();
}
