namespace Occam.Pruning;

/// <summary>
/// The default "occam" method: Occam Gradient Descent steered by a controller that cannot prune its way below plain
/// gradient descent. It prunes only while the held-out loss says pruning is harmless, undoes a cut the held-out loss
/// condemns, and stops pruning when the held-out loss stops improving.
/// </summary>
/// <remarks>
/// <para>The rule, epoch by epoch (l = held-out loss, se = its standard error over the held-out examples, best = the
/// lowest held-out loss before this epoch):</para>
/// <list type="number">
/// <item><b>Dense warm-up.</b> Train without pruning until <see cref="PlateauEpochs"/> epochs pass without a new best;
/// then restore the best model and make the first cut. <i>Why:</i> until then the run is plain gradient descent itself
/// (same initialisation, split and batch order), so plain GD's early-stopped model is one of Occam's candidates; cutting
/// an untrained network removes weights by the magnitude of their random initial values, which costs accuracy that
/// small data sets cannot buy back; and on a held-out set of a few dozen rows one epoch without improvement is noise,
/// not a plateau.</item>
/// <item><b>Geometric cuts.</b> While pruning, cut the fraction r (initially r0) of the surviving weights after every
/// epoch, as the paper does. <i>Why:</i> size falls like a learning rate for size, fast while pruning is free.</item>
/// <item><b>Undo a significant rise.</b> If l &gt; best + z · se, restore the best snapshot (weights and masks) and halve r;
/// when r falls below <see cref="MinimumRate"/> it becomes 0 and pruning is over. <i>Why:</i> a rise larger than the
/// held-out noise means the last cuts removed capacity the task needs; the paper's rule only slows down to its floor
/// and keeps cutting, this one goes back to the model before the damage and cuts less, down to not at all. A rise
/// within the noise is not evidence, so pruning continues from the current model.</item>
/// <item><b>Plateau stop.</b> If <see cref="PlateauEpochs"/> epochs pass without a new best (counting from the last
/// restore, so every restored model gets as many epochs to improve), restore the best model and
/// stop pruning (r = 0); fine-tune it for the rest of the epoch budget. <i>Why:</i> the paper's rule never reaches
/// rate zero, so it keeps removing capacity long after the held-out loss has stopped improving; after the plateau more
/// cuts can only be undone or made to look good by noise. Fine-tuning to the end of the budget gives the model the same
/// number of epochs plain gradient descent gets, and the selection keeps whichever model is best.</item>
/// </list>
/// <para>The run's model is, as always, the one with the lowest held-out loss (the trainer's selection), so a pruned
/// model is returned only when the held-out loss prefers it to every model before it, including the dense warm-up's.</para>
/// <para>The schedule is stateless: it replays its own decisions from the loss history (the trainer feeds back the
/// held-out loss of whatever model each decision produced), so one instance serves many runs.</para>
/// </remarks>
public sealed class OccamController : IPruningSchedule
{
    /// <summary>Creates the controller.</summary>
    /// <param name="initialRate">r0: the fraction of surviving weights cut per epoch before any undo. Default 0.4 (the paper's).</param>
    /// <param name="significance">z: a held-out rise above best + z · se is undone. Default 1.</param>
    /// <param name="plateauEpochs">Epochs without a new best that end the warm-up, and then end pruning. Default 3.</param>
    /// <param name="minimumRate">A rate halved below this becomes 0 (pruning over). Default 0.05.</param>
    /// <param name="denseWarmup">Train dense until the held-out loss plateaus. Default true.</param>
    /// <param name="name">The method name for run records.</param>
    public OccamController(double initialRate = 0.4, double significance = 1.0, int plateauEpochs = 3, double minimumRate = 0.05,
        bool denseWarmup = true, string name = "occam")
    {
        if (!(initialRate > 0 && initialRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(initialRate), "The initial pruning rate must be in (0, 1).");
        }

        if (!(significance >= 0) || double.IsPositiveInfinity(significance))
        {
            throw new ArgumentOutOfRangeException(nameof(significance), "The significance must be finite and non-negative.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(plateauEpochs, 1);
        if (!(minimumRate > 0 && minimumRate <= initialRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumRate), "The minimum rate must be in (0, initial rate].");
        }

        InitialRate = initialRate;
        Significance = significance;
        PlateauEpochs = plateauEpochs;
        MinimumRate = minimumRate;
        DenseWarmup = denseWarmup;
        Name = name;
    }

    /// <summary>Where the controller is in a run.</summary>
    public enum Phase
    {
        /// <summary>Training dense until the held-out loss plateaus.</summary>
        Warmup,

        /// <summary>Cutting the fraction r after every epoch.</summary>
        Pruning,

        /// <summary>No more cuts; training the best model on to the end of the budget.</summary>
        FineTuning,
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>r0.</summary>
    public double InitialRate { get; }

    /// <summary>z: rises above best + z · se are undone.</summary>
    public double Significance { get; }

    /// <summary>Epochs without a new best that end the warm-up and then the pruning.</summary>
    public int PlateauEpochs { get; }

    /// <summary>The smallest non-zero rate.</summary>
    public double MinimumRate { get; }

    /// <summary>True when the run starts with dense training.</summary>
    public bool DenseWarmup { get; }

    /// <inheritdoc />
    public PruningDecision Decide(PruningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Replay(context.HoldoutLosses, context.HoldoutStandardErrors).Decision;
    }

    /// <summary>
    /// Replays the rule over <paramref name="losses"/> (with standard errors <paramref name="standardErrors"/>; missing
    /// entries count as 0) and returns the last epoch's decision and the phase after it.
    /// </summary>
    public (PruningDecision Decision, Phase Phase) Replay(IReadOnlyList<double> losses, IReadOnlyList<double> standardErrors)
    {
        ArgumentNullException.ThrowIfNull(losses);
        ArgumentNullException.ThrowIfNull(standardErrors);
        var phase = DenseWarmup ? Phase.Warmup : Phase.Pruning;
        double rate = InitialRate;
        double best = double.PositiveInfinity;
        int bestEpoch = 0;

        // A restore starts the count again: the restored model deserves PlateauEpochs epochs of its own.
        int lastRestore = 0;
        var decision = PruningDecision.None;
        for (int t = 1; t <= losses.Count; t++)
        {
            double loss = losses[t - 1];
            double se = t - 1 < standardErrors.Count && double.IsFinite(standardErrors[t - 1]) ? standardErrors[t - 1] : 0;
            double previousBest = best;

            // NaN never compares lower, so a diverged epoch is never a best.
            bool improved = loss < best;
            if (improved)
            {
                best = loss;
                bestEpoch = t;
            }

            switch (phase)
            {
                case Phase.Warmup when t - bestEpoch < PlateauEpochs:
                    decision = PruningDecision.None;
                    break;
                case Phase.Warmup:
                    phase = Phase.Pruning;
                    decision = Cut(rate, restore: true);
                    break;
                case Phase.Pruning when !improved && !(loss <= previousBest + Significance * se):
                    rate /= 2;
                    if (rate < MinimumRate)
                    {
                        rate = 0;
                        phase = Phase.FineTuning;
                    }

                    decision = Cut(rate, restore: true);
                    break;
                case Phase.Pruning when t - Math.Max(bestEpoch, lastRestore) >= PlateauEpochs:
                    rate = 0;
                    phase = Phase.FineTuning;
                    decision = Cut(rate, restore: true);
                    break;
                case Phase.Pruning:
                    decision = Cut(rate, restore: false);
                    break;
                default:
                    decision = PruningDecision.None;
                    break;
            }

            if (decision.RestoreBestFirst)
            {
                lastRestore = t;
            }
        }

        return (decision, phase);
    }

    private static PruningDecision Cut(double rate, bool restore) =>
        new() { Fraction = rate, Rate = rate, RestoreBestFirst = restore };
}
