using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Occam.Data;

namespace Occam.Training;

/// <summary>
/// The JSON conventions of run records: snake_case names; NaN and infinities as strings so a diverged run still
/// serialises; regression epochs leave out the accuracy fields (they have MSE, RMSE, MAE and R² instead).
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
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitRegressionAccuracy } },
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
