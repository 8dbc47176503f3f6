namespace Occam.Pruning;

/// <summary>Settings of the named methods of <see cref="PruningMethods"/>; each method reads the ones it needs.</summary>
public sealed record PruningMethodOptions
{
    /// <summary>Occam's r0 (the paper's rule and the controller); also the rate of "constant" and the per-round fraction of "imp". Default 0.4.</summary>
    public double InitialRate { get; init; } = 0.4;

    /// <summary>The paper rule's floor factor f. Default 0.1.</summary>
    public double FloorFactor { get; init; } = 0.1;

    /// <summary>Final prunable density of "gmp" and "posthoc". Default 0.25.</summary>
    public double TargetDensity { get; init; } = 0.25;

    /// <summary>Fine-tuning epochs of "posthoc" (part of the epoch budget). Default 0.</summary>
    public int FineTuneEpochs { get; init; }

    /// <summary>Epochs per round of "imp". Default 3.</summary>
    public int RoundEpochs { get; init; } = 3;

    /// <summary>Rewind epoch of "imp" (0 = initial weights). Default 1.</summary>
    public int RewindEpoch { get; init; } = 1;

    /// <summary>How <see cref="PruningMethod.CreateCriterion"/> scores weights. Default magnitude (the paper's).</summary>
    public PruningCriterionKind Criterion { get; init; }

    /// <summary>How <see cref="PruningMethod.CreateCriterion"/> spreads a cut over the layers. Default per layer (the paper's).</summary>
    public PruningDistribution Distribution { get; init; }

    /// <summary>Seed of the random criterion. Default 1.</summary>
    public int Seed { get; init; } = 1;
}
