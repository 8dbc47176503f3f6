using System.Text.Json;
using System.Text.Json.Serialization;

namespace Occam.Training;

/// <summary>The JSON conventions of run records: snake_case names; NaN and infinities as strings so a diverged run still serialises.</summary>
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
    };
}
