namespace Occam.Training.Checkpoints;

/// <summary>What a checkpoint says about its run (see <see cref="Checkpoint.ReadInfo"/>).</summary>
public sealed record CheckpointInfo
{
    /// <summary>The last epoch completed.</summary>
    public int Epoch { get; init; }

    /// <summary>
    /// Steps done in the next epoch when the run was stopped inside it (Ctrl-C), 0 when it stopped at the epoch boundary;
    /// a resume continues from there.
    /// </summary>
    public int Step { get; init; }

    /// <summary>True when the run had already ended at that epoch (resuming only selects and reports).</summary>
    public bool Finished { get; init; }

    /// <summary>The run's epoch budget.</summary>
    public int Epochs { get; init; }

    /// <summary>The run's seed.</summary>
    public int Seed { get; init; }

    /// <summary>The run's method name.</summary>
    public required string Method { get; init; }

    /// <summary>The model's parameter names, in order.</summary>
    public required IReadOnlyList<string> ParameterNames { get; init; }

    /// <summary>The epoch records so far.</summary>
    public required IReadOnlyList<EpochRecord> Records { get; init; }

    /// <summary>The divergences recovered from so far.</summary>
    public required IReadOnlyList<DivergenceEvent> Divergences { get; init; }

    /// <summary>The caller's strings given as <see cref="TrainerOptions.CheckpointMetadata"/>.</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
}
