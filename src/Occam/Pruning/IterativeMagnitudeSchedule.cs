namespace Occam.Pruning;

/// <summary>
/// Iterative magnitude pruning with rewinding (lottery tickets: Frankle &amp; Carbin 2019; rewinding to an early epoch:
/// Frankle et al. 2020). Train <c>roundEpochs</c> epochs, prune the fraction <c>pruneFraction</c> of the alive weights,
/// set the surviving weights back to their values after epoch <c>rewindEpoch</c> (0 = initialisation), and repeat:
/// cuts come after epochs k, 2k, 3k, …
/// </summary>
/// <remarks>
/// Rewinding restores every parameter (biases too) and the pruner resets the optimiser, as in the lottery-ticket
/// code. No round starts after the final epoch.
/// </remarks>
public sealed class IterativeMagnitudeSchedule : IPruningSchedule
{
    /// <summary>Creates the schedule.</summary>
    public IterativeMagnitudeSchedule(double pruneFraction = 0.4, int roundEpochs = 3, int rewindEpoch = 1)
    {
        if (!(pruneFraction > 0 && pruneFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pruneFraction), "The fraction must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(roundEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rewindEpoch);
        if (rewindEpoch >= roundEpochs)
        {
            throw new ArgumentOutOfRangeException(nameof(rewindEpoch), "The rewind epoch must fall inside the first round.");
        }

        PruneFraction = pruneFraction;
        RoundEpochs = roundEpochs;
        RewindEpoch = rewindEpoch;
    }

    /// <inheritdoc />
    public string Name => "imp";

    /// <summary>Fraction of the alive weights pruned at the end of each round.</summary>
    public double PruneFraction { get; }

    /// <summary>Epochs per round.</summary>
    public int RoundEpochs { get; }

    /// <summary>The epoch whose weights the survivors return to (0 = the initial weights).</summary>
    public int RewindEpoch { get; }

    /// <inheritdoc />
    public PruningDecision Decide(PruningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Epoch < RoundEpochs || context.Epoch % RoundEpochs != 0)
        {
            return new PruningDecision { SaveRewindPoint = context.Epoch == RewindEpoch };
        }

        return new PruningDecision { Fraction = PruneFraction, Rate = PruneFraction, Rewind = true };
    }
}
