namespace Occam.Pruning;

/// <summary>Prunes the same fraction of the alive weights after every epoch.</summary>
public sealed class ConstantRateSchedule : IPruningSchedule
{
    /// <summary>Creates the schedule with rate <paramref name="rate"/> in [0, 1].</summary>
    public ConstantRateSchedule(double rate)
    {
        if (!(rate >= 0 && rate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), "The pruning rate must be in [0, 1].");
        }

        Rate = rate;
    }

    /// <inheritdoc />
    public string Name => "constant";

    /// <summary>The fraction pruned each epoch.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    public PruningDecision Decide(PruningContext context) => new() { Fraction = Rate, Rate = Rate };
}
