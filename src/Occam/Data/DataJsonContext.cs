using System.Text.Json.Serialization;

namespace Occam.Data;

/// <summary>
/// Source-generated JSON metadata for the data layer's saved files, so they serialise without reflection
/// (trimmed or ahead-of-time compiled hosts disable reflection-based System.Text.Json).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TabularPreprocessor))]
[JsonSerializable(typeof(TabularSchema))]
internal sealed partial class DataJsonContext : JsonSerializerContext;
