using System.Text.Json;
using System.Text.Json.Serialization;
using Occam.Data;

namespace Occam.Training;

/// <summary>A whole run (serialised snake_case as summary.json, and read back by <see cref="Read"/>).</summary>
public sealed record RunSummary
{
    /// <summary>The method, e.g. "occam-paper", "dense", "posthoc".</summary>
    public required string Method { get; init; }

    /// <summary>The pruning criterion's name.</summary>
    public required string Criterion { get; init; }

    /// <summary>The seed of the split, the batches and the model factory.</summary>
    public int Seed { get; init; }

    /// <summary>Every epoch, in order.</summary>
    public required IReadOnlyList<EpochRecord> Epochs { get; init; }

    /// <summary>The selected epoch's record (the lowest held-out loss unless the schedule selects itself, as the occam controller does): the model the run returns.</summary>
    public required EpochRecord Best { get; init; }

    /// <summary>The selected epoch.</summary>
    public int SelectedEpoch { get; init; }

    /// <summary>All parameters of the model.</summary>
    [JsonRequired]
    public long TotalParams { get; init; }

    /// <summary>Examples trained on per epoch (the training set minus the held-out split).</summary>
    public int TrainExamples { get; init; }

    /// <summary>Held-out examples.</summary>
    public int HoldoutExamples { get; init; }

    /// <summary>
    /// How the held-out examples were chosen, e.g. "stratified: 10 % of each class's examples, at random (seed 1)" or,
    /// for text, the held-out region of the training text; null in records written before it was kept.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HoldoutSplit { get; init; }

    /// <summary>Training wall time over all epochs, seconds.</summary>
    [JsonRequired]
    public double TotalTrainSeconds { get; init; }

    /// <summary>Training FLOPs over all epochs, dense-equivalent.</summary>
    public long TotalTrainFlopsDense { get; init; }

    /// <summary>Training FLOPs over all epochs, live weights only.</summary>
    [JsonRequired]
    public long TotalTrainFlopsSparse { get; init; }

    /// <summary>Inference FLOPs per example of the selected model, live weights only (2 × live MACs).</summary>
    [JsonRequired]
    public long InferenceFlops { get; init; }

    /// <summary>Inference FLOPs per example of the same architecture fully dense.</summary>
    public long InferenceFlopsDense { get; init; }

    /// <summary>True when the run stopped before its epoch budget (patience or the schedule).</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Divergences the guard recovered from (NaN or infinite loss: last good epoch restored, learning rate halved).</summary>
    public IReadOnlyList<DivergenceEvent> Divergences { get; init; } = [];

    /// <summary>Classification (the default, not written) or regression.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public LearningTask Task { get; init; }

    /// <summary>Regression: the loss trained and selected on ("mse" or "huber"); null for classification.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Loss { get; init; }

    /// <summary>Bytes of the selected model's file (model.safetensors) once the caller has saved it; null before.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ModelFileBytes { get; init; }

    /// <summary>
    /// Reads the <c>summary.json</c> a <see cref="RunRecorder"/> wrote into <paramref name="directory"/>, in this
    /// version's format or an earlier one (fields added since are left at their defaults).
    /// </summary>
    /// <exception cref="FileNotFoundException">The directory holds no summary.</exception>
    /// <exception cref="InvalidDataException">The summary is not valid JSON or lacks a required field; the message names the file and the field.</exception>
    public static RunSummary Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = Path.Combine(directory, RunRecorder.SummaryFileName);
        using var stream = File.OpenRead(path);
        try
        {
            return JsonSerializer.Deserialize<RunSummary>(stream, RunJson.Indented)
                ?? throw new InvalidDataException($"{path}: the summary is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON for a run summary ({e.Message})", e);
        }
    }
}
