using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Occam.Data;
using Occam.Training.Checkpoints;

namespace Occam.Training;

/// <summary>
/// The JSON conventions of run records: snake_case names; NaN and infinities as strings so a diverged run still
/// serialises; regression epochs leave out the accuracy fields (they have MSE, RMSE, MAE and R² instead). The same
/// source-generated metadata writes and reads the records, so a field added to <see cref="EpochRecord"/> or
/// <see cref="RunSummary"/> is written and read back without another change.
/// </summary>
public static class RunJson
{
    /// <summary>Options for one-line records (epochs.jsonl).</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    /// <summary>Options for indented documents (summary.json).</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = indented,
        TypeInfoResolver = RunJsonContext.Default.WithAddedModifier(OmitRegressionAccuracy),
    };

    private static void OmitRegressionAccuracy(JsonTypeInfo type)
    {
        if (type.Type != typeof(EpochRecord))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.Name is "holdout_accuracy" or "test_accuracy")
            {
                property.ShouldSerialize = (record, _) => ((EpochRecord)record).Task == LearningTask.Classification;
            }
        }
    }
}

/// <summary>Source-generated metadata of everything a run writes as JSON: its records and its checkpoints' state.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(EpochRecord))]
[JsonSerializable(typeof(CheckpointDocument))]
[JsonSerializable(typeof(CheckpointRunOptions))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class RunJsonContext : JsonSerializerContext;
