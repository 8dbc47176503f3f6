using System.Text.Json;
using Occam.Cli.Specs;

namespace Occam.Cli.Engine;

/// <summary>
/// A training plan as JSON, stored in every checkpoint so that <c>occam train --resume DIR</c> continues with exactly the
/// options the run started with.
/// </summary>
internal static class PlanJson
{
    /// <summary>Metadata key under which checkpoints carry the plan.</summary>
    public const string MetadataKey = "plan";

    /// <summary>The plan as one JSON object: the specs as the user writes them, the method name and the settings.</summary>
    public static string Serialize(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return JsonSerializer.Serialize(new StoredPlan(plan.Data.ToString(), plan.Model.ToString() ?? "", plan.Method.Name, plan.Settings));
    }

    /// <summary>Reads a plan written by <see cref="Serialize"/>; <paramref name="source"/> names the file in errors.</summary>
    public static TrainingPlan Deserialize(string json, string source)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<StoredPlan>(json) ?? throw new JsonException("empty");
            var data = DataSpecParser.Parse(stored.Data);
            return new TrainingPlan(data, ModelSpecParser.Resolve(stored.Model, data), TrainingMethodParser.Parse(stored.Method), stored.Settings);
        }
        catch (Exception e) when (e is JsonException or UsageException or NotSupportedException)
        {
            throw new InvalidDataException($"{source}: the run's options are unreadable ({e.Message})", e);
        }
    }

    private sealed record StoredPlan(string Data, string Model, string Method, TrainingSettings Settings);
}
