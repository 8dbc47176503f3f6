namespace Occam.Training.Checkpoints;

/// <summary>
/// The settings of a run that decide its results, stored with each checkpoint (metadata key "options") so a resume
/// with different settings is refused instead of silently producing a different run.
/// </summary>
internal sealed record CheckpointRunOptions
{
    public int Epochs { get; init; }

    public int BatchSize { get; init; }

    public int Seed { get; init; }

    public double HoldoutFraction { get; init; }

    public int? Patience { get; init; }

    public float LearningRate { get; init; }

    public string? Method { get; init; }

    public string? Schedule { get; init; }

    public string? Criterion { get; init; }

    public int EvaluationBatchSize { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? HuberDelta { get; init; }

    public int DivergenceLimit { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? PruneEvery { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? HoldoutSubsample { get; init; }

    public static CheckpointRunOptions From(TrainerOptions options) => new()
    {
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        Seed = options.Seed,
        HoldoutFraction = options.HoldoutFraction,
        Patience = options.Patience,
        LearningRate = options.LearningRate,
        Method = options.Method,
        Schedule = options.Schedule.Name,
        Criterion = options.Criterion.Name,
        EvaluationBatchSize = options.EvaluationBatchSize,
        HuberDelta = options.HuberDelta,
        DivergenceLimit = options.DivergenceLimit,
        PruneEvery = options.PruneEvery,
        HoldoutSubsample = options.HoldoutSubsample,
    };
}
