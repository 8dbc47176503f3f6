namespace Occam.Pruning;

/// <summary>
/// A named training method of <see cref="PruningMethods"/>: what the command line's <c>--method</c>, run records,
/// checkpoints, comparisons and benchmarks call it, what it does, and the schedule it stands for.
/// </summary>
public sealed class PruningMethod
{
    private readonly Func<PruningMethodOptions, IPruningSchedule> _schedule;

    internal PruningMethod(string name, string description, bool isOccam, Func<PruningMethodOptions, IPruningSchedule> schedule)
    {
        Name = name;
        Description = description;
        IsOccam = isOccam;
        _schedule = schedule;
    }

    /// <summary>The name, e.g. "occam-paper".</summary>
    public string Name { get; }

    /// <summary>What the method does, in one sentence.</summary>
    public string Description { get; }

    /// <summary>True for the variants of Occam Gradient Descent (what a comparison sets against the baselines).</summary>
    public bool IsOccam { get; }

    /// <summary>The method's schedule with <paramref name="options"/> (null: the defaults); each method reads the settings it needs.</summary>
    public IPruningSchedule CreateSchedule(PruningMethodOptions? options = null) => _schedule(options ?? new PruningMethodOptions());

    /// <summary>Whether <paramref name="criterion"/> can be spread by <paramref name="distribution"/>: every criterion per layer, only magnitude globally.</summary>
    public static bool Combines(PruningCriterionKind criterion, PruningDistribution distribution) =>
        distribution == PruningDistribution.Layer || criterion == PruningCriterionKind.Magnitude;

    /// <summary>The criterion <paramref name="options"/> name (<see cref="PruningMethodOptions.Criterion"/> and <see cref="PruningMethodOptions.Distribution"/>).</summary>
    /// <exception cref="ArgumentException">The pair does not <see cref="Combines"/>.</exception>
    public static IPruningCriterion CreateCriterion(PruningMethodOptions? options = null)
    {
        var o = options ?? new PruningMethodOptions();
        if (!Combines(o.Criterion, o.Distribution))
        {
            throw new ArgumentException($"Only magnitude pruning is global, not {o.Criterion}.", nameof(options));
        }

        return o.Criterion switch
        {
            PruningCriterionKind.Random => new RandomCriterion(o.Seed),
            PruningCriterionKind.Structured => new StructuredCriterion(),
            _ when o.Distribution == PruningDistribution.Global => new GlobalMagnitudeCriterion(),
            _ => new MagnitudeCriterion(),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
