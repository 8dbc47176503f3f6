namespace Occam.Pruning;

/// <summary>
/// The adaptive rule of Occam Gradient Descent exactly as in the paper (Kausik, arXiv 2405.20194; SPEC §2).
/// Start with r = r0. After epoch t with held-out losses l1..lt: if t ≥ 3 and l(t−1) ≠ l(t−2),
/// zeta = (l(t) − l(t−1)) / (l(t−1) − l(t−2)) and r = clamp(zeta · r, f · r0, r0); otherwise r stays.
/// Then prune the fraction r of the alive weights — after every epoch, including epochs 1 and 2 (at r0).
/// </summary>
/// <remarks>
/// Slowing improvement (0 &lt; zeta &lt; 1) lowers the rate; a loss turning up after falling (zeta &lt; 0) drops it to the
/// floor f · r0; a loss rising ever faster (zeta &gt; 1) raises it back towards r0. A non-finite zeta (only possible with
/// non-finite losses) leaves r unchanged. The rate is recomputed from the loss history, so the schedule is stateless.
/// </remarks>
public sealed class OccamPaperSchedule : IPruningSchedule
{
    /// <summary>Creates the rule with initial rate <paramref name="initialRate"/> (r0) and floor factor <paramref name="floorFactor"/> (f).</summary>
    public OccamPaperSchedule(double initialRate = 0.4, double floorFactor = 0.1, string name = "occam-paper")
    {
        if (!(initialRate > 0 && initialRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(initialRate), "The initial pruning rate must be in (0, 1].");
        }

        if (!(floorFactor >= 0 && floorFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(floorFactor), "The floor factor must be in [0, 1].");
        }

        InitialRate = initialRate;
        FloorFactor = floorFactor;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>r0, the initial and largest rate.</summary>
    public double InitialRate { get; }

    /// <summary>f: the rate never falls below f · r0.</summary>
    public double FloorFactor { get; }

    /// <inheritdoc />
    public PruningDecision Decide(PruningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (rate, zeta) = Replay(context.HoldoutLosses);
        return new PruningDecision { Fraction = rate, Rate = rate, Zeta = zeta };
    }

    /// <summary>The rate r after the last of <paramref name="losses"/>, and that epoch's zeta (null when not computed).</summary>
    public (double Rate, double? Zeta) Replay(IReadOnlyList<double> losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        double rate = InitialRate;
        double? zeta = null;
        for (int t = 3; t <= losses.Count; t++)
        {
            zeta = null;
            double previousChange = losses[t - 2] - losses[t - 3];
            if (previousChange == 0)
            {
                continue;
            }

            double z = (losses[t - 1] - losses[t - 2]) / previousChange;
            zeta = z;
            if (double.IsFinite(z))
            {
                rate = Math.Clamp(z * rate, FloorFactor * InitialRate, InitialRate);
            }
        }

        return (rate, zeta);
    }
}
