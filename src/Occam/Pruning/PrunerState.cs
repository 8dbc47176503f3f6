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

    /// <summary>Per epoch, the paired held-out difference against the selected model.</summary>
    public List<PairedDifference> PairedWithSelected { get; } = [];

    /// <summary>Per epoch, the paired held-out difference against the lowest-loss model selected before it.</summary>
    public List<PairedDifference> PairedWithLowest { get; } = [];

    /// <summary>The selected model's per-example held-out losses (empty without one).</summary>
    public float[] SelectedLosses { get; set; } = [];

    /// <summary>The per-example held-out losses of the lowest-loss model ever selected (empty without one).</summary>
    public float[] LowestLosses { get; set; } = [];

    /// <summary>The lowest held-out loss of a selected model so far (+∞ without one).</summary>
    public double LowestLoss { get; set; } = double.PositiveInfinity;

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
