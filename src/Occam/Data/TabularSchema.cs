using System.Globalization;
using System.Text.Json;

namespace Occam.Data;

/// <summary>
/// What typed ingestion decided about a CSV file: each feature column's kind, how many of its cells were missing
/// (empty or an NA token, over every row), and a categorical column's levels; written as <c>schema.json</c> beside a
/// run so the decisions can be checked without reading the preprocessing.
/// </summary>
/// <param name="Source">The file the schema describes.</param>
/// <param name="Label">The label (or regression target) column.</param>
/// <param name="Task">Classification or regression.</param>
/// <param name="NaValues">Tokens read as missing besides empty cells.</param>
/// <param name="Rows">Data rows in the file.</param>
/// <param name="Columns">Feature columns in feature order.</param>
public sealed record TabularSchema(string Source, string Label, LearningTask Task, IReadOnlyList<string> NaValues, int Rows, IReadOnlyList<SchemaColumn> Columns)
{
    /// <summary>The schema of <paramref name="table"/> as <paramref name="preprocessor"/> reads it.</summary>
    /// <exception cref="DataFormatException">The table lacks one of the preprocessor's columns.</exception>
    public static TabularSchema Describe(CsvTable table, TabularPreprocessor preprocessor)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(preprocessor);
        var na = new HashSet<string>(preprocessor.NaValues, StringComparer.Ordinal);
        var columns = new List<SchemaColumn>(preprocessor.Columns.Count);
        foreach (TabularColumn column in preprocessor.Columns)
        {
            int index = table.ColumnIndex(column.Name);
            if (index < 0)
            {
                throw DataFormatException.InFile(table.Source, $"column '{column.Name}' is missing (the model was trained with it)");
            }

            int missing = 0;
            for (int r = 0; r < table.RowCount; r++)
            {
                string cell = table.Cell(r, index).Trim();
                if (cell.Length == 0 || na.Contains(cell))
                {
                    missing++;
                }
            }

            columns.Add(new SchemaColumn(column.Name, column.Kind, missing, column.Kind == ColumnKind.Categorical ? column.Categories : null));
        }

        return new TabularSchema(table.Source, preprocessor.LabelColumn, preprocessor.Task, preprocessor.NaValues, table.RowCount, columns);
    }

    /// <summary>
    /// One line for a person: e.g. <c>13 numeric, 2 categorical (cut, color), 1 with missing values; label 'class'</c>
    /// (at most five categorical names are listed).
    /// </summary>
    public string Summary()
    {
        const int listed = 5;
        var categorical = Columns.Where(c => c.Kind == ColumnKind.Categorical).Select(c => c.Name).ToList();
        int numeric = Columns.Count - categorical.Count;
        int withMissing = Columns.Count(c => c.Missing > 0);
        string names = categorical.Count == 0 ? ""
            : $" ({string.Join(", ", categorical.Take(listed))}{(categorical.Count > listed ? ", …" : "")})";
        return string.Create(CultureInfo.InvariantCulture,
            $"{numeric} numeric, {categorical.Count} categorical{names}, {withMissing} with missing values; label '{Label}'");
    }

    /// <summary>The schema as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, DataJsonContext.Default.TabularSchema);
}

/// <summary>One feature column of a <see cref="TabularSchema"/>.</summary>
/// <param name="Name">Column name in the header.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Missing">Cells that are empty or an NA token, over every row of the file.</param>
/// <param name="Levels">Categorical: the training split's categories in one-hot order (the empty string is "missing"); null for numeric.</param>
public sealed record SchemaColumn(string Name, ColumnKind Kind, int Missing, IReadOnlyList<string>? Levels);
