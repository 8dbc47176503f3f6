namespace Occam.Pruning;

/// <summary>
/// Names of the training methods and pruning criteria as the command line and run records spell them, and the
/// schedules and criteria they stand for.
/// </summary>
public static class PruningMethods
{
    /// <summary>Every method name <see cref="CreateSchedule"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["occam", "occam-paper", "dense", "constant", "gmp", "imp", "posthoc"];

    /// <summary>Every criterion name <see cref="CreateCriterion"/> accepts.</summary>
    public static IReadOnlyList<string> CriterionNames { get; } = ["magnitude", "global-magnitude", "structured", "random"];

    /// <summary>
    /// The schedule for <paramref name="method"/>: "occam" (the <see cref="OccamController"/>, which cannot prune below
    /// plain gradient descent), "occam-paper" (the paper's rule, exactly), "dense", "constant", "gmp", "imp", "posthoc".
    /// </summary>
    public static IPruningSchedule CreateSchedule(string method, PruningMethodOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var o = options ?? new PruningMethodOptions();
        return method switch
        {
            "occam" => new OccamController(o.InitialRate),
            "occam-paper" => new OccamPaperSchedule(o.InitialRate, o.FloorFactor),
            "dense" => new NoPruningSchedule(),
            "constant" => new ConstantRateSchedule(o.InitialRate),
            "gmp" => new GradualMagnitudeSchedule(1.0 - o.TargetDensity),
            "imp" => new IterativeMagnitudeSchedule(o.InitialRate, o.RoundEpochs, o.RewindEpoch),
            "posthoc" => new OneShotSchedule(o.TargetDensity, o.FineTuneEpochs),
            _ => throw new ArgumentException($"Unknown method '{method}'; expected one of {string.Join(", ", Names)}.", nameof(method)),
        };
    }

    /// <summary>The criterion named <paramref name="name"/>: "magnitude", "global-magnitude", "structured" or "random".</summary>
    public static IPruningCriterion CreateCriterion(string name, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "magnitude" => new MagnitudeCriterion(),
            "global-magnitude" => new GlobalMagnitudeCriterion(),
            "structured" => new StructuredCriterion(),
            "random" => new RandomCriterion(seed),
            _ => throw new ArgumentException($"Unknown criterion '{name}'; expected one of {string.Join(", ", CriterionNames)}.", nameof(name)),
        };
    }
}
