namespace Occam.Data;

/// <summary>
/// Loads a CSV classification table: the label column is chosen by option, else <c>class</c>, else the last column;
/// rows are split into training and test parts (seeded, stratified), and a <see cref="TabularPreprocessor"/> is fitted
/// on the training part only.
/// </summary>
public static class TabularLoader
{
    /// <summary>The label column used when none is chosen and the header has it.</summary>
    public const string DefaultLabelColumn = "class";

    /// <summary>Reads, splits and preprocesses the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is missing, empty, malformed, or unusable for classification.</exception>
    public static TabularData Load(string path, TabularOptions? options = null) => FromTable(CsvTable.Load(path), options);

    /// <summary>Splits and preprocesses an already parsed table.</summary>
    /// <exception cref="DataFormatException">The table is unusable for classification (see <see cref="TabularPreprocessor.Fit"/>).</exception>
    public static TabularData FromTable(CsvTable table, TabularOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new TabularOptions();
        if (!(options.TestFraction >= 0 && options.TestFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TestFraction, "The test fraction must lie in [0, 1).");
        }

        string labelColumn = ResolveLabelColumn(table, options.LabelColumn);

        // Labels come first: label problems (missing, single class) are reported before the split.
        int labelIndex = table.ColumnIndex(labelColumn);
        List<string> classes = TabularPreprocessor.FitClasses(table, labelIndex);
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++)
        {
            classIndex[classes[i]] = i;
        }

        var labels = new int[table.RowCount];
        for (int r = 0; r < labels.Length; r++)
        {
            labels[r] = classIndex[table.Cell(r, labelIndex).Trim()];
        }

        (int[] trainRows, int[] testRows) = Splits.Stratified(labels, options.TestFraction, options.Seed);
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table, labelColumn, trainRows);
        return new TabularData(
            preprocessor.ToDataset(table, trainRows), preprocessor.ToDataset(table, testRows), preprocessor, table, trainRows, testRows);
    }

    /// <summary>
    /// The label column: <paramref name="requested"/> when given (it must exist), else <see cref="DefaultLabelColumn"/>
    /// when present, else the last column.
    /// </summary>
    /// <exception cref="DataFormatException">The requested column does not exist.</exception>
    public static string ResolveLabelColumn(CsvTable table, string? requested)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!string.IsNullOrEmpty(requested))
        {
            return table.ColumnIndex(requested) >= 0
                ? requested
                : throw DataFormatException.InFile(table.Source, $"no column named '{requested}' (columns: {string.Join(", ", table.Header)})");
        }

        return table.ColumnIndex(DefaultLabelColumn) >= 0 ? DefaultLabelColumn : table.Header[^1];
    }
}
