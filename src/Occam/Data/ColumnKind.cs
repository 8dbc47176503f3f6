using System.Text.Json.Serialization;

namespace Occam.Data;

/// <summary>How a tabular feature column is encoded.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    /// <summary>Every non-empty cell is a number: standardised, missing cells imputed with the training mean.</summary>
    [JsonStringEnumMemberName("numeric")]
    Numeric,

    /// <summary>Anything else: one-hot over the training split's categories (missing is its own category).</summary>
    [JsonStringEnumMemberName("categorical")]
    Categorical,
}
