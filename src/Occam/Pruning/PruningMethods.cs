namespace Occam.Pruning;

/// <summary>
/// The registry of training methods: the one place that names them (the command line, run records, checkpoints,
/// comparisons, reports and benchmarks look them up here) and says which schedule each stands for.
/// </summary>
public static class PruningMethods
{
    /// <summary>Occam Gradient Descent with the library's controller, which cannot prune below plain gradient descent.</summary>
    public static PruningMethod Occam { get; } = new("occam",
        "Occam Gradient Descent with the default controller: prunes while the held-out loss allows, undoes cuts that cost",
        isOccam: true, o => new OccamController(o.InitialRate));

    /// <summary>Occam Gradient Descent exactly as the seed paper states it (SPEC §2).</summary>
    public static PruningMethod OccamPaper { get; } = new("occam-paper",
        "Occam Gradient Descent exactly as the paper states it", isOccam: true, o => new OccamPaperSchedule(o.InitialRate, o.FloorFactor));

    /// <summary>Plain gradient descent, no pruning.</summary>
    public static PruningMethod Dense { get; } = new("dense", "plain gradient descent, no pruning", isOccam: false, _ => new NoPruningSchedule());

    /// <summary>A constant fraction of the surviving weights pruned after every epoch.</summary>
    public static PruningMethod Constant { get; } = new("constant",
        "prunes the fraction r0 of the surviving weights after every epoch", isOccam: false, o => new ConstantRateSchedule(o.InitialRate));

    /// <summary>Gradual magnitude pruning to a target density (Zhu &amp; Gupta).</summary>
    public static PruningMethod Gmp { get; } = new("gmp",
        "gradual magnitude pruning to a target density (Zhu & Gupta)", isOccam: false, o => new GradualMagnitudeSchedule(1.0 - o.TargetDensity));

    /// <summary>Iterative magnitude pruning with weight rewinding (lottery tickets).</summary>
    public static PruningMethod Imp { get; } = new("imp",
        "iterative magnitude pruning with weight rewinding (lottery tickets)", isOccam: false,
        o => new IterativeMagnitudeSchedule(o.InitialRate, o.RoundEpochs, o.RewindEpoch));

    /// <summary>Dense training, then the selected model pruned once to a target density and fine-tuned for the options' epochs.</summary>
    public static PruningMethod Posthoc { get; } = new("posthoc",
        "dense training, then one-shot pruning of the selected model to a target density", isOccam: false,
        o => new OneShotSchedule(o.TargetDensity, o.FineTuneEpochs));

    /// <summary>As <see cref="Posthoc"/>, with one fine-tuning epoch after the cut.</summary>
    public static PruningMethod PosthocFinetune { get; } = new("posthoc-finetune",
        "dense training, one-shot pruning of the selected model, then one fine-tuning epoch", isOccam: false,
        o => new OneShotSchedule(o.TargetDensity, fineTuneEpochs: 1, "posthoc-finetune"));

    /// <summary>Every method, in the order help texts list them.</summary>
    public static IReadOnlyList<PruningMethod> All { get; } = [Occam, OccamPaper, Dense, Constant, Gmp, Imp, Posthoc, PosthocFinetune];

    /// <summary>The names of <paramref name="methods"/> (default: all) as a help text lists them: "a, b or c".</summary>
    public static string NameList(IEnumerable<PruningMethod>? methods = null)
    {
        string[] names = [.. (methods ?? All).Select(m => m.Name)];
        return names.Length < 2 ? string.Concat(names) : string.Join(", ", names[..^1]) + " or " + names[^1];
    }

    /// <summary>The method named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static PruningMethod? TryFind(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim();
        foreach (var method in All)
        {
            if (string.Equals(method.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                return method;
            }
        }

        return null;
    }

    /// <summary>The method named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No method has that name.</exception>
    public static PruningMethod Find(string name) =>
        TryFind(name) ?? throw new ArgumentException($"Unknown method '{name}'; expected {NameList()}.", nameof(name));
}
