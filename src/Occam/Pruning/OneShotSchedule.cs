namespace Occam.Pruning;

/// <summary>
/// One-shot post-training pruning: train dense, then prune the selected (best held-out) model to
/// <c>targetDensity</c> of its prunable weights, and fine-tune for <c>fineTuneEpochs</c>. The cut happens after epoch
/// <c>TotalEpochs − fineTuneEpochs</c>; only the pruned models compete for selection afterwards.
/// </summary>
public sealed class OneShotSchedule : IPruningSchedule
{
    /// <summary>Creates the schedule; <paramref name="name"/> is the method name for run records.</summary>
    public OneShotSchedule(double targetDensity, int fineTuneEpochs = 0, string name = "posthoc")
    {
        if (!(targetDensity > 0 && targetDensity <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(targetDensity), "The target density must be in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(fineTuneEpochs);
        TargetDensity = targetDensity;
        FineTuneEpochs = fineTuneEpochs;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Alive fraction of the prunable weights after the cut.</summary>
    public double TargetDensity { get; }

    /// <summary>Epochs of training after the cut (the run's epoch budget includes them).</summary>
    public int FineTuneEpochs { get; }

    /// <inheritdoc />
    public PruningDecision Decide(PruningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int total = context.TotalEpochs ?? throw new InvalidOperationException("One-shot pruning needs the epoch budget.");
        if (context.Epoch != Math.Max(1, total - FineTuneEpochs))
        {
            return PruningDecision.None;
        }

        return new PruningDecision
        {
            TargetDensity = TargetDensity,
            Rate = 1.0 - TargetDensity,
            RestoreBestFirst = true,
            RestartSelection = true,
        };
    }
}
