using Occam.Training;

namespace Occam.Pruning;

/// <summary>What <see cref="Pruner.EndEpoch"/> did with the epoch just trained.</summary>
public readonly record struct PruningStep
{
    /// <summary>The held-out figures of the epoch's model (before any cut).</summary>
    public Evaluation Holdout { get; init; }

    /// <summary>
    /// The held-out loss was NaN or infinite: the pruner changed nothing and did not count the epoch (the
    /// <see cref="Training.Trainer"/> then restores its last good epoch).
    /// </summary>
    public bool Diverged { get; init; }

    /// <summary>The epoch's model became the selected one.</summary>
    public bool Selected { get; init; }

    /// <summary>The schedule's pruning rate for the epoch as run records report it (for Occam, r).</summary>
    public double Rate { get; init; }

    /// <summary>Occam's zeta for the epoch, when the paper's rule computed one.</summary>
    public double? Zeta { get; init; }

    /// <summary>Weights were cut after the epoch.</summary>
    public bool Pruned { get; init; }

    /// <summary>
    /// When the cut restarted selection (post-training pruning): the held-out figures of the cut model, which is now
    /// the only candidate so far; null otherwise.
    /// </summary>
    public Evaluation? Cut { get; init; }

    /// <summary>The cut model (<see cref="Cut"/>) became the selected one.</summary>
    public bool CutSelected { get; init; }

    /// <summary>The schedule ends training after this epoch.</summary>
    public bool Stop { get; init; }
}
