namespace Occam.Pruning;

/// <summary>
/// Gradual magnitude pruning (Zhu &amp; Gupta 2017, "To prune, or not to prune"), counted in epochs: the target sparsity
/// after epoch t is s(t) = s_f + (s_i − s_f)(1 − (t − t0)/(n Δt))³ for t0 ≤ t ≤ t0 + n Δt (s_i before, s_f after), and
/// the schedule prunes the fraction of the alive weights that brings the prunable density to 1 − s(t).
/// </summary>
/// <remarks>
/// Δt is one epoch, so n Δt = <c>endEpoch</c> − <c>startEpoch</c>. With the defaults (t0 = 0, end = the last epoch but
/// one), the first cut comes after epoch 1 and the final epoch fine-tunes at the target sparsity.
/// </remarks>
public sealed class GradualMagnitudeSchedule : IPruningSchedule
{
    private readonly int? _endEpoch;

    /// <summary>Creates the schedule towards <paramref name="finalSparsity"/> (fraction of prunable weights removed).</summary>
    public GradualMagnitudeSchedule(double finalSparsity, double initialSparsity = 0, int startEpoch = 0, int? endEpoch = null)
    {
        if (!(finalSparsity >= 0 && finalSparsity < 1) || !(initialSparsity >= 0 && initialSparsity <= finalSparsity))
        {
            throw new ArgumentOutOfRangeException(nameof(finalSparsity), "Sparsities must satisfy 0 ≤ initial ≤ final < 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(startEpoch);
        if (endEpoch is int end && end <= startEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(endEpoch), "The end epoch must come after the start epoch.");
        }

        FinalSparsity = finalSparsity;
        InitialSparsity = initialSparsity;
        StartEpoch = startEpoch;
        _endEpoch = endEpoch;
    }

    /// <inheritdoc />
    public string Name => "gmp";

    /// <summary>s_f.</summary>
    public double FinalSparsity { get; }

    /// <summary>s_i.</summary>
    public double InitialSparsity { get; }

    /// <summary>t0.</summary>
    public int StartEpoch { get; }

    /// <summary>The target sparsity after <paramref name="epoch"/> in a run of <paramref name="totalEpochs"/> epochs.</summary>
    public double TargetSparsity(int epoch, int? totalEpochs)
    {
        int end = _endEpoch ?? Math.Max(StartEpoch + 1, (totalEpochs ?? StartEpoch + 2) - 1);
        if (epoch <= StartEpoch)
        {
            return InitialSparsity;
        }

        if (epoch >= end)
        {
            return FinalSparsity;
        }

        double progress = 1.0 - (epoch - StartEpoch) / (double)(end - StartEpoch);
        return FinalSparsity + (InitialSparsity - FinalSparsity) * progress * progress * progress;
    }

    /// <inheritdoc />
    public PruningDecision Decide(PruningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double target = 1.0 - TargetSparsity(context.Epoch, context.TotalEpochs);
        double fraction = PruningMasks.FractionToReach(context.PrunableDensity, target);
        return new PruningDecision { Fraction = fraction, Rate = fraction };
    }
}
