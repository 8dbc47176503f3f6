namespace Occam.Data;

/// <summary>
/// How CSV cells are read into column kinds: extra tokens that mean "missing", and columns whose kind is forced rather
/// than inferred (see <see cref="TabularPreprocessor.Fit(CsvTable, string, ReadOnlySpan{int}, LearningTask, ColumnTyping?)"/>
/// for the inference rule).
/// </summary>
public sealed record ColumnTyping
{
    /// <summary>No extra missing tokens, every kind inferred.</summary>
    public static ColumnTyping Default { get; } = new();

    /// <summary>
    /// Feature cells (trimmed) equal to one of these, compared ordinally, are missing like an empty cell (e.g.
    /// <c>n/a</c>, <c>NA</c>, <c>?</c>). They do not apply to the label column.
    /// </summary>
    public IReadOnlyList<string> NaValues { get; init; } = [];

    /// <summary>Columns read as categorical whatever their cells look like.</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];

    /// <summary>Columns read as numeric: a cell that is neither a number, empty nor an NA token is an error naming its row.</summary>
    public IReadOnlyList<string> Numeric { get; init; } = [];

    /// <summary>True when nothing differs from <see cref="Default"/>.</summary>
    public bool IsDefault => NaValues.Count == 0 && Categorical.Count == 0 && Numeric.Count == 0;
}
