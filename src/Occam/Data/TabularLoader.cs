namespace Occam.Data;

/// <summary>
/// Loads a CSV classification or regression table: the label column is chosen by option, else <c>class</c>
/// (regression: <c>target</c>), else the last column; rows are split into training and test parts (seeded; stratified
/// for classification), and a <see cref="TabularPreprocessor"/> is fitted on the training part only (for regression
/// it standardises the target too).
/// </summary>
public static class TabularLoader
{
    /// <summary>The label column used when none is chosen and the header has it.</summary>
    public const string DefaultLabelColumn = "class";

    /// <summary>The regression target column used when none is chosen and the header has it.</summary>
    public const string DefaultTargetColumn = "target";

    /// <summary>
    /// With no task given, a numeric label column with more distinct values than this is taken for a regression
    /// target (the shipped classification sets have at most 11 classes; the regression sets 35 or more values).
    /// </summary>
    public const int MaxInferredClasses = 20;

    /// <summary>Reads, splits and preprocesses the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is missing, empty, malformed, or unusable for classification.</exception>
    public static TabularData Load(string path, TabularOptions? options = null) => FromTable(CsvTable.Load(path), options);

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/> for training (every row; the preprocessing is fitted on all of
    /// them) and the one at <paramref name="testPath"/> as the test set (see <see cref="FromTables"/>).
    /// </summary>
    /// <exception cref="DataFormatException">Either file is missing, empty or malformed, or the test file does not match the training file's schema.</exception>
    public static TabularData Load(string path, string testPath, TabularOptions? options = null) =>
        FromTables(CsvTable.Load(path), CsvTable.Load(testPath), options);

    /// <summary>
    /// Trains on every row of <paramref name="train"/> and tests on every row of <paramref name="test"/>, which is read
    /// as <c>predict</c> reads new rows: it must have the label column and every feature column (extra columns are
    /// ignored), a numeric column must hold numbers, an unseen class is an error and an unseen category encodes as
    /// all zeros. <see cref="TabularOptions.TestFraction"/> and <see cref="TabularOptions.Seed"/> do not apply.
    /// </summary>
    /// <exception cref="DataFormatException">The training table is unusable, or a test row does not match its schema (the error names the line and column).</exception>
    public static TabularData FromTables(CsvTable train, CsvTable test, TabularOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new TabularOptions();
        string labelColumn = ResolveLabelColumn(train, options.LabelColumn, options.Task);
        LearningTask task = options.Task ?? InferTask(train, labelColumn).Task;
        int[] trainRows = TabularPreprocessor.AllRows(train);
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(train, labelColumn, trainRows, task, options.Typing);
        return new TabularData(
            preprocessor.ToDataset(train, trainRows), preprocessor.ToDataset(test), preprocessor, train, trainRows, TabularPreprocessor.AllRows(test))
        {
            TestTable = test,
        };
    }

    /// <summary>Splits and preprocesses an already parsed table.</summary>
    /// <exception cref="DataFormatException">The table is unusable for classification (see <see cref="TabularPreprocessor.Fit(CsvTable, string, ReadOnlySpan{int}, LearningTask, ColumnTyping?)"/>).</exception>
    public static TabularData FromTable(CsvTable table, TabularOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new TabularOptions();
        if (!(options.TestFraction >= 0 && options.TestFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TestFraction, "The test fraction must lie in [0, 1).");
        }

        string labelColumn = ResolveLabelColumn(table, options.LabelColumn, options.Task);
        LearningTask task = options.Task ?? InferTask(table, labelColumn).Task;
        if (task == LearningTask.Regression)
        {
            (int[] fitRows, int[] heldRows) = Splits.Random(table.RowCount, options.TestFraction, options.Seed);
            TabularPreprocessor scaled = TabularPreprocessor.Fit(table, labelColumn, fitRows, LearningTask.Regression, options.Typing);
            return new TabularData(scaled.ToDataset(table, fitRows), scaled.ToDataset(table, heldRows), scaled, table, fitRows, heldRows);
        }

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
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table, labelColumn, trainRows, LearningTask.Classification, options.Typing);
        return new TabularData(
            preprocessor.ToDataset(table, trainRows), preprocessor.ToDataset(table, testRows), preprocessor, table, trainRows, testRows);
    }

    /// <summary>
    /// The task a label column implies: regression when it is not named <see cref="DefaultLabelColumn"/>, no cell is
    /// text, and its finite numbers take more than <see cref="MaxInferredClasses"/> distinct values, else classification.
    /// </summary>
    public static TaskInference InferTask(CsvTable table, string labelColumn)
    {
        ArgumentNullException.ThrowIfNull(table);
        int index = table.ColumnIndex(labelColumn);
        if (index < 0)
        {
            throw DataFormatException.InFile(table.Source, $"no column named '{labelColumn}' (columns: {string.Join(", ", table.Header)})");
        }

        // A missing, NaN or infinite cell does not make a numeric column text: inferring classification from one bad
        // target turned a regression into one class per value; as regression, the loader names the bad row instead.
        var distinct = new HashSet<double>();
        bool numeric = true;
        for (int r = 0; r < table.RowCount && numeric; r++)
        {
            var kind = CsvNumbers.Parse(table.Cell(r, index), out double value);
            numeric = kind != CsvNumbers.Kind.Text;
            if (kind == CsvNumbers.Kind.Finite)
            {
                distinct.Add(value);
            }
        }

        bool regression = numeric && distinct.Count > MaxInferredClasses && labelColumn != DefaultLabelColumn;
        return new TaskInference(regression ? LearningTask.Regression : LearningTask.Classification, labelColumn, numeric, numeric ? distinct.Count : 0);
    }

    /// <summary>
    /// The label column: <paramref name="requested"/> when given (it must exist), else <see cref="DefaultLabelColumn"/>
    /// when present, else the last column.
    /// </summary>
    /// <exception cref="DataFormatException">The requested column does not exist.</exception>
    public static string ResolveLabelColumn(CsvTable table, string? requested) => ResolveLabelColumn(table, requested, LearningTask.Classification);

    /// <summary>
    /// The label column for <paramref name="task"/>: <paramref name="requested"/> when given (it must exist), else
    /// <see cref="DefaultLabelColumn"/> (classification) or <see cref="DefaultTargetColumn"/> (regression) when present
    /// — with no task, the first of the two present — else the last column.
    /// </summary>
    /// <exception cref="DataFormatException">The requested column does not exist.</exception>
    public static string ResolveLabelColumn(CsvTable table, string? requested, LearningTask? task)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!string.IsNullOrEmpty(requested))
        {
            return table.ColumnIndex(requested) >= 0
                ? requested
                : throw DataFormatException.InFile(table.Source, $"no column named '{requested}' (columns: {string.Join(", ", table.Header)})");
        }

        string[] defaults = task switch
        {
            LearningTask.Classification => [DefaultLabelColumn],
            LearningTask.Regression => [DefaultTargetColumn],
            _ => [DefaultLabelColumn, DefaultTargetColumn],
        };
        foreach (string name in defaults)
        {
            if (table.ColumnIndex(name) >= 0)
            {
                return name;
            }
        }

        return table.Header[^1];
    }
}
