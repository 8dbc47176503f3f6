using System.Text.Json.Serialization;

namespace Occam.Data;

/// <summary>The fitted encoding of one tabular feature column (part of a <see cref="TabularPreprocessor"/>).</summary>
public sealed record TabularColumn
{
    /// <summary>Column name in the CSV header.</summary>
    public required string Name { get; init; }

    /// <summary>Numeric or categorical.</summary>
    public required ColumnKind Kind { get; init; }

    /// <summary>Numeric: training mean.</summary>
    public double Mean { get; init; }

    /// <summary>Numeric: training standard deviation (1 for a constant column).</summary>
    public double Std { get; init; } = 1;

    /// <summary>
    /// Numeric: how a cell becomes a feature. Null in models saved before it existed, which standardise by
    /// <see cref="Mean"/> and <see cref="Std"/> with no clipping and impute the mean (see <see cref="TabularPreprocessor.NumericTransforms"/>).
    /// </summary>
    public NumericTransform? Transform { get; init; }

    /// <summary>Numeric: whether a 0/1 "was missing" feature follows the value (the training split had missing cells).</summary>
    public bool MissingIndicator { get; init; }

    /// <summary>Categorical: the training split's categories in one-hot order; the empty string is "missing".</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>Number of features this column produces.</summary>
    [JsonIgnore]
    public int Width => Kind == ColumnKind.Numeric ? (MissingIndicator ? 2 : 1) : Categories?.Count ?? 0;
}
