using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Occam.Tensors;

namespace Occam.Data;

/// <summary>
/// Turns CSV rows into feature vectors and class labels (or, for regression, standardised numeric targets: see
/// <see cref="Target"/>), with every statistic fitted on the training split only:
/// numeric columns are clipped to their training range and standardised (missing cells get the training mean, plus a
/// 0/1 indicator feature when the training split had missing cells in that column; see <see cref="NumericTransforms"/>);
/// categorical columns are one-hot over the training categories (a missing cell is its own category; a category
/// unseen in training encodes as all zeros). It is saved with the model as JSON and applied to new rows at prediction
/// time, with or without the label column; the NA tokens it was fitted with (<see cref="NaValues"/>) are read as
/// missing there too, so a file is read the same way at both times.
/// </summary>
public sealed class TabularPreprocessor
{
    /// <summary>
    /// Most categories a column may one-hot into: beyond it the column is almost surely an identifier or free text,
    /// and its one-hot features would need memory quadratic in the file's size.
    /// </summary>
    public const int MaxCategories = 1000;

    /// <summary>
    /// Share of a column's non-missing cells that must parse as numbers for a column holding some text to be refused
    /// as ambiguous rather than read as categorical: one stray <c>n/a</c> among numbers must not one-hot the column.
    /// </summary>
    public const double AmbiguousNumericShare = 0.9;

    /// <summary>Most offending rows an ambiguity error lists.</summary>
    private const int MaxListedRows = 5;

    private readonly Dictionary<string, int> _classIndex;
    private readonly Dictionary<string, int>?[] _categoryIndex;
    private readonly NumericTransform?[] _transforms;
    private readonly HashSet<string> _naValues;

    /// <summary>Creates a preprocessor from fitted parts (as read back from JSON).</summary>
    /// <param name="labelColumn">Name of the label column.</param>
    /// <param name="classes">Class names in label order (at least two, distinct); empty for regression.</param>
    /// <param name="columns">Feature columns in feature order.</param>
    /// <param name="target">Regression: the target's standardisation; null for classification.</param>
    /// <param name="naValues">Feature cells read as missing besides empty ones (null: none).</param>
    [JsonConstructor]
    public TabularPreprocessor(
        string labelColumn, IReadOnlyList<string> classes, IReadOnlyList<TabularColumn> columns, TargetScaling? target = null, IReadOnlyList<string>? naValues = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(columns);
        _classIndex = IndexOf(classes, "class", nameof(classes));
        if (target is null && classes.Count < 2)
        {
            throw new ArgumentException("At least two classes are needed.", nameof(classes));
        }

        if (target is not null && (classes.Count != 0 || !double.IsFinite(target.Mean) || !(target.Std > 0 && double.IsFinite(target.Std))))
        {
            throw new ArgumentException("A regression target needs a finite mean, a positive finite std and no classes.", nameof(target));
        }

        if (columns.Count == 0)
        {
            throw new ArgumentException("At least one feature column is needed.", nameof(columns));
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { labelColumn };
        _categoryIndex = new Dictionary<string, int>?[columns.Count];
        _transforms = new NumericTransform?[columns.Count];
        var numericTransforms = new List<NumericTransform>();
        var featureNames = new List<string>();
        for (int c = 0; c < columns.Count; c++)
        {
            TabularColumn column = columns[c] ?? throw new ArgumentException("A column is null.", nameof(columns));
            if (string.IsNullOrEmpty(column.Name) || !names.Add(column.Name))
            {
                throw new ArgumentException($"Column name '{column.Name}' is empty, repeated or the label column.", nameof(columns));
            }

            if (column.Kind == ColumnKind.Numeric)
            {
                if (column.Transform is null && (!double.IsFinite(column.Mean) || !double.IsFinite(column.Std) || column.Std <= 0))
                {
                    throw new ArgumentException($"Column '{column.Name}' needs a finite mean and a positive finite std.", nameof(columns));
                }

                NumericTransform transform = column.Transform
                    ?? new(column.Mean, double.NegativeInfinity, double.PositiveInfinity, column.Mean, column.Std);
                if (transform.Problem() is { } problem)
                {
                    throw new ArgumentException($"Column '{column.Name}' needs {problem}.", nameof(columns));
                }

                _transforms[c] = transform;
                numericTransforms.Add(transform);
                featureNames.Add(column.Name);
                if (column.MissingIndicator)
                {
                    featureNames.Add(column.Name + "_missing");
                }
            }
            else if (column.Kind == ColumnKind.Categorical)
            {
                IReadOnlyList<string> categories = column.Categories
                    ?? throw new ArgumentException($"Categorical column '{column.Name}' has no categories.", nameof(columns));
                _categoryIndex[c] = IndexOf(categories, $"category of '{column.Name}'", nameof(columns));
                foreach (string category in categories)
                {
                    featureNames.Add($"{column.Name}={(category.Length == 0 ? "<missing>" : category)}");
                }
            }
            else
            {
                throw new ArgumentException($"Column '{column.Name}' has an unknown kind.", nameof(columns));
            }
        }

        NaValues = [.. naValues ?? []];
        _naValues = new HashSet<string>(NaValues, StringComparer.Ordinal);
        LabelColumn = labelColumn;
        Target = target;
        Classes = [.. classes];
        Columns = [.. columns];
        NumericTransforms = numericTransforms;
        FeatureNames = featureNames;
    }

    /// <summary>Name of the label column.</summary>
    public string LabelColumn { get; }

    /// <summary>Class names in label order (empty for regression).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// Regression: the label column's mean and standard deviation on the training split; datasets hold standardised
    /// targets and <see cref="TargetScaling.ToOriginal"/> gives predictions in original units. Null for classification.
    /// </summary>
    public TargetScaling? Target { get; }

    /// <summary>Classification, or regression when there is a <see cref="Target"/>.</summary>
    [JsonIgnore]
    public LearningTask Task => Target is null ? LearningTask.Classification : LearningTask.Regression;

    /// <summary>Feature columns in feature order.</summary>
    public IReadOnlyList<TabularColumn> Columns { get; }

    /// <summary>
    /// The encoding of each numeric column, in column order (categorical columns skipped): impute, clip, centre, scale.
    /// A column saved without one (older models) gets the plain standardisation it was trained with.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<NumericTransform> NumericTransforms { get; }

    /// <summary>Feature cells (trimmed) read as missing besides empty ones, as at fitting (<see cref="ColumnTyping.NaValues"/>).</summary>
    public IReadOnlyList<string> NaValues { get; }

    /// <summary>Names of the produced features (<c>col</c>, <c>col_missing</c>, <c>col=category</c>).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Length of a produced feature vector.</summary>
    [JsonIgnore]
    public int FeatureCount => FeatureNames.Count;

    /// <summary>Fits the preprocessing with every column kind inferred and no NA tokens (see the overload with a <see cref="ColumnTyping"/>).</summary>
    /// <exception cref="DataFormatException">See the overload with a <see cref="ColumnTyping"/>.</exception>
    public static TabularPreprocessor Fit(CsvTable table, string labelColumn, ReadOnlySpan<int> trainRows, LearningTask task = LearningTask.Classification) =>
        Fit(table, labelColumn, trainRows, task, typing: null);

    /// <summary>
    /// Fits the preprocessing on the rows <paramref name="trainRows"/> of <paramref name="table"/>. Column kinds are
    /// forced by <paramref name="typing"/> or inferred from every row, cells empty or equal to an NA token being
    /// missing: numeric when every other cell is an invariant-culture number; refused as ambiguous when some are not
    /// but at least <see cref="AmbiguousNumericShare"/> of them are, or when every one that is not reads as a number
    /// written with decimal commas or thousands separators; else categorical. The class list comes from every row's
    /// label (sorted numerically when all labels are numbers, else ordinally); means, deviations, ranges, missing
    /// indicators and categories come from the training rows only.
    /// </summary>
    /// <remarks>
    /// For <see cref="LearningTask.Regression"/> the label column must hold a finite number in every row; its mean and
    /// standard deviation on the training rows become <see cref="Target"/>.
    /// </remarks>
    /// <exception cref="DataFormatException">A label is missing, there is a single class, no feature column, a column is ambiguous, a forced column does not exist or is the label, or a numeric column holds text, NaN, infinity or an out-of-range value.</exception>
    public static TabularPreprocessor Fit(CsvTable table, string labelColumn, ReadOnlySpan<int> trainRows, LearningTask task, ColumnTyping? typing)
    {
        typing ??= ColumnTyping.Default;
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(labelColumn);
        if (trainRows.IsEmpty)
        {
            throw new ArgumentException("At least one training row is needed.", nameof(trainRows));
        }

        int labelIndex = table.ColumnIndex(labelColumn);
        if (labelIndex < 0)
        {
            throw DataFormatException.InFile(table.Source, $"no label column '{labelColumn}' (columns: {string.Join(", ", table.Header)})");
        }

        if (table.ColumnCount < 2)
        {
            throw DataFormatException.InFile(table.Source, $"has only the label column '{labelColumn}' and no feature columns");
        }

        List<string> classes = task == LearningTask.Regression ? [] : FitClasses(table, labelIndex);
        TargetScaling? target = task == LearningTask.Regression ? TargetScaling.Fit(ReadTargets(table, labelIndex, trainRows)) : null;
        var na = new HashSet<string>(typing.NaValues, StringComparer.Ordinal);
        HashSet<string> forcedCategorical = ForcedColumns(table, labelColumn, typing.Categorical, "--categorical");
        HashSet<string> forcedNumeric = ForcedColumns(table, labelColumn, typing.Numeric, "--numeric");
        foreach (string name in forcedCategorical)
        {
            if (forcedNumeric.Contains(name))
            {
                throw DataFormatException.InFile(table.Source, $"column '{name}' is forced both --categorical and --numeric");
            }
        }

        var columns = new List<TabularColumn>(table.ColumnCount - 1);
        for (int c = 0; c < table.ColumnCount; c++)
        {
            if (c != labelIndex)
            {
                bool numeric = !forcedCategorical.Contains(table.Header[c]) && IsNumeric(table, c, na, forcedNumeric.Contains(table.Header[c]));
                columns.Add(numeric ? FitNumeric(table, c, trainRows, na) : FitCategorical(table, c, trainRows, na));
            }
        }

        return new TabularPreprocessor(labelColumn, classes, columns, target, typing.NaValues);
    }

    /// <summary>True when <paramref name="table"/> has this preprocessor's label column.</summary>
    public bool HasLabels(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.ColumnIndex(LabelColumn) >= 0;
    }

    /// <summary>Feature vectors [rows, <see cref="FeatureCount"/>] of every row of <paramref name="table"/>.</summary>
    /// <exception cref="DataFormatException">A feature column is missing or a numeric cell is not a finite number.</exception>
    public Tensor TransformFeatures(CsvTable table) => TransformFeatures(table, AllRows(table));

    /// <summary>Feature vectors [rows.Length, <see cref="FeatureCount"/>] of the given rows.</summary>
    /// <exception cref="DataFormatException">A feature column is missing or a numeric cell is not a finite number.</exception>
    public Tensor TransformFeatures(CsvTable table, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        int[] sourceColumns = new int[Columns.Count];
        for (int c = 0; c < Columns.Count; c++)
        {
            sourceColumns[c] = table.ColumnIndex(Columns[c].Name);
            if (sourceColumns[c] < 0)
            {
                throw DataFormatException.InFile(table.Source, $"column '{Columns[c].Name}' is missing (the model was trained with it)");
            }
        }

        if ((long)rows.Length * FeatureCount > Array.MaxLength)
        {
            throw DataFormatException.InFile(table.Source, $"{rows.Length} rows × {FeatureCount} features are too many to hold in memory");
        }

        var features = new Tensor(rows.Length, FeatureCount);
        Span<float> values = features.Span;
        for (int r = 0; r < rows.Length; r++)
        {
            Span<float> target = values.Slice(r * FeatureCount, FeatureCount);
            int offset = 0;
            for (int c = 0; c < Columns.Count; c++)
            {
                TabularColumn column = Columns[c];
                string cell = table.Cell(rows[r], sourceColumns[c]);
                if (column.Kind == ColumnKind.Numeric)
                {
                    CsvNumbers.Kind kind = ParseCell(cell, _naValues, out double value);
                    if (kind is not (CsvNumbers.Kind.Finite or CsvNumbers.Kind.Missing))
                    {
                        throw CellError(table, rows[r], sourceColumns[c], CsvNumbers.Problem(kind, cell));
                    }

                    bool missing = kind == CsvNumbers.Kind.Missing;
                    NumericTransform transform = _transforms[c]!;
                    target[offset] = missing ? transform.Missing : transform.Apply(value);
                    if (column.MissingIndicator)
                    {
                        target[offset + 1] = missing ? 1f : 0f;
                    }
                }
                else if (_categoryIndex[c]!.TryGetValue(CategoryOf(cell, _naValues), out int category))
                {
                    target[offset + category] = 1f;
                }

                offset += column.Width;
            }
        }

        return features;
    }

    /// <summary>Class indices of every row of <paramref name="table"/>.</summary>
    /// <exception cref="DataFormatException">The label column is absent, or a label is missing or unknown.</exception>
    public int[] TransformLabels(CsvTable table) => TransformLabels(table, AllRows(table));

    /// <summary>Class indices of the given rows.</summary>
    /// <exception cref="DataFormatException">The label column is absent, or a label is missing or unknown.</exception>
    public int[] TransformLabels(CsvTable table, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        int labelIndex = table.ColumnIndex(LabelColumn);
        if (labelIndex < 0)
        {
            throw DataFormatException.InFile(table.Source, $"no label column '{LabelColumn}'");
        }

        var labels = new int[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            string cell = table.Cell(rows[r], labelIndex).Trim();
            if (cell.Length == 0)
            {
                throw CellError(table, rows[r], labelIndex, "the label is missing");
            }

            if (!_classIndex.TryGetValue(cell, out labels[r]))
            {
                throw CellError(table, rows[r], labelIndex, $"class '{cell}' was not seen in training (known: {string.Join(", ", Classes)})");
            }
        }

        return labels;
    }

    /// <summary>Regression: the standardised targets of the given rows.</summary>
    /// <exception cref="DataFormatException">The label column is absent, or a target is missing or not a finite number.</exception>
    public float[] TransformTargets(CsvTable table, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        var scaling = Target ?? throw new InvalidOperationException("This preprocessor is for classification; it has no target.");
        int labelIndex = table.ColumnIndex(LabelColumn);
        if (labelIndex < 0)
        {
            throw DataFormatException.InFile(table.Source, $"no target column '{LabelColumn}'");
        }

        double[] values = ReadTargets(table, labelIndex, rows);
        var targets = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            targets[i] = scaling.ToStandard(values[i]);
        }

        return targets;
    }

    /// <summary>A labelled dataset of every row of <paramref name="table"/>.</summary>
    /// <exception cref="DataFormatException">See <see cref="TransformFeatures(CsvTable, ReadOnlySpan{int})"/> and <see cref="TransformLabels(CsvTable, ReadOnlySpan{int})"/>.</exception>
    public Dataset ToDataset(CsvTable table) => ToDataset(table, AllRows(table));

    /// <summary>A labelled dataset of the given rows.</summary>
    /// <exception cref="DataFormatException">See <see cref="TransformFeatures(CsvTable, ReadOnlySpan{int})"/> and <see cref="TransformLabels(CsvTable, ReadOnlySpan{int})"/>.</exception>
    public Dataset ToDataset(CsvTable table, ReadOnlySpan<int> rows) => Target is null
        ? new(TransformFeatures(table, rows), TransformLabels(table, rows), Classes.Count, classNames: Classes)
        : new(TransformFeatures(table, rows), TransformTargets(table, rows), Target, LabelColumn);

    /// <summary>The fitted preprocessing as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, DataJsonContext.Default.TabularPreprocessor);

    /// <summary>Reads a preprocessor written by <see cref="ToJson"/>; <paramref name="source"/> names the JSON in errors.</summary>
    /// <exception cref="DataFormatException">The JSON is malformed or describes an invalid preprocessor.</exception>
    public static TabularPreprocessor FromJson(string json, string source = "preprocessor JSON")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, DataJsonContext.Default.TabularPreprocessor)
                ?? throw DataFormatException.InFile(source, "the preprocessor JSON is null");
        }
        catch (JsonException e)
        {
            throw new DataFormatException($"{source}: invalid preprocessor JSON ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException($"{source}: invalid preprocessor ({e.Message})", e);
        }
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>Reads a preprocessor saved by <see cref="Save"/>.</summary>
    /// <exception cref="DataFormatException">The file is missing, unreadable or invalid.</exception>
    public static TabularPreprocessor Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = DataFiles.ReadAll(path);
        return FromJson(System.Text.Encoding.UTF8.GetString(bytes), path);
    }

    /// <summary>Every row index of <paramref name="table"/>, ascending.</summary>
    internal static int[] AllRows(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = new int[table.RowCount];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = i;
        }

        return rows;
    }

    private static DataFormatException CellError(CsvTable table, int row, int column, string problem) =>
        new($"{table.Source}, line {table.LineOf(row)}, column {column + 1} ('{table.Header[column]}'): {problem}");

    private static Dictionary<string, int> IndexOf(IReadOnlyList<string> values, string what, string parameter)
    {
        var index = new Dictionary<string, int>(values.Count, StringComparer.Ordinal);
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] is null || !index.TryAdd(values[i], i))
            {
                throw new ArgumentException($"Each {what} must be present once; '{values[i]}' is not.", parameter);
            }
        }

        return index;
    }

    /// <summary>The target values of <paramref name="rows"/>; a missing or non-numeric target is an error.</summary>
    internal static double[] ReadTargets(CsvTable table, int labelIndex, ReadOnlySpan<int> rows)
    {
        var values = new double[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            string cell = table.Cell(rows[r], labelIndex);
            CsvNumbers.Kind kind = CsvNumbers.Parse(cell, out values[r]);
            if (kind != CsvNumbers.Kind.Finite)
            {
                throw CellError(table, rows[r], labelIndex,
                    kind == CsvNumbers.Kind.Missing ? "the target is missing" : $"regression needs a numeric target: {CsvNumbers.Problem(kind, cell)}");
            }
        }

        return values;
    }

    /// <summary>The sorted distinct labels of every row; a missing label or a single class is an error.</summary>
    internal static List<string> FitClasses(CsvTable table, int labelIndex)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (int r = 0; r < table.RowCount; r++)
        {
            string cell = table.Cell(r, labelIndex).Trim();
            if (cell.Length == 0)
            {
                throw CellError(table, r, labelIndex, "the label is missing");
            }

            distinct.Add(cell);
        }

        if (distinct.Count < 2)
        {
            throw DataFormatException.InFile(table.Source, $"every row has the same class '{distinct.First()}'; classification needs at least two classes");
        }

        var classes = distinct.ToList();
        bool numeric = classes.TrueForAll(c => CsvNumbers.Parse(c, out _) == CsvNumbers.Kind.Finite);
        if (numeric)
        {
            classes.Sort((a, b) =>
            {
                int byValue = double.Parse(a, NumberStyles.Float, CultureInfo.InvariantCulture)
                    .CompareTo(double.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture));
                return byValue != 0 ? byValue : string.CompareOrdinal(a, b);
            });
        }
        else
        {
            classes.Sort(StringComparer.Ordinal);
        }

        return classes;
    }

    /// <summary>The cell parsed as a number, or <see cref="CsvNumbers.Kind.Missing"/> when it is an NA token.</summary>
    private static CsvNumbers.Kind ParseCell(string cell, HashSet<string> na, out double value)
    {
        if (na.Count > 0 && na.Contains(cell.Trim()))
        {
            value = 0;
            return CsvNumbers.Kind.Missing;
        }

        return CsvNumbers.Parse(cell, out value);
    }

    /// <summary>The cell as a category: trimmed, and the empty "missing" category when it is an NA token.</summary>
    private static string CategoryOf(string cell, HashSet<string> na)
    {
        string trimmed = cell.Trim();
        return na.Contains(trimmed) ? string.Empty : trimmed;
    }

    /// <summary>The named columns, each of which must exist and not be the label.</summary>
    private static HashSet<string> ForcedColumns(CsvTable table, string labelColumn, IReadOnlyList<string> names, string option)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (table.ColumnIndex(name) < 0)
            {
                throw DataFormatException.InFile(table.Source, $"{option} {name}: no such column (columns: {string.Join(", ", table.Header)})");
            }

            if (name == labelColumn)
            {
                throw DataFormatException.InFile(table.Source, $"{option} {name}: that is the label column, not a feature");
            }

            set.Add(name);
        }

        return set;
    }

    /// <summary>
    /// Numeric when every cell that is not missing is a number (or <paramref name="forced"/> and it is so); categorical
    /// when enough cells are text to make it plainly so. Anything between is an error naming the offending rows and
    /// the options that settle it, as is a numeric column's NaN, infinite or out-of-range cell.
    /// </summary>
    private static bool IsNumeric(CsvTable table, int column, HashSet<string> na, bool forced)
    {
        int firstBad = -1;
        CsvNumbers.Kind badKind = CsvNumbers.Kind.Finite;
        int numbers = 0;
        int texts = 0;
        var listed = new List<int>(MaxListedRows);
        bool decimalCommas = true;
        bool thousands = true;
        for (int r = 0; r < table.RowCount; r++)
        {
            string cell = table.Cell(r, column);
            CsvNumbers.Kind kind = ParseCell(cell, na, out _);
            if (kind == CsvNumbers.Kind.Missing)
            {
                continue;
            }

            if (kind != CsvNumbers.Kind.Text)
            {
                numbers++;
                if (firstBad < 0 && kind is CsvNumbers.Kind.NonFinite or CsvNumbers.Kind.OutOfRange)
                {
                    firstBad = r;
                    badKind = kind;
                }

                continue;
            }

            texts++;
            if (listed.Count < MaxListedRows)
            {
                listed.Add(r);
            }

            string trimmed = cell.Trim();
            decimalCommas &= CommaNumbers.DecimalComma().IsMatch(trimmed);
            thousands &= CommaNumbers.Thousands().IsMatch(trimmed);
        }

        if (texts == 0)
        {
            if (firstBad >= 0)
            {
                throw CellError(table, firstBad, column, CsvNumbers.Problem(badKind, table.Cell(firstBad, column)));
            }

            return true;
        }

        string name = table.Header[column];
        string rows = string.Join(", ", listed.Select(r => $"line {table.LineOf(r)} '{table.Cell(r, column).Trim()}'"));
        string tokens = string.Join(",", listed.Select(r => table.Cell(r, column).Trim()).Distinct(StringComparer.Ordinal));
        string counted = $"{texts} of {texts + numbers} non-missing cells are not numbers ({rows}{(texts > listed.Count ? ", …" : "")})";
        if (decimalCommas || thousands)
        {
            string how = decimalCommas && thousands ? "decimal commas or thousands separators"
                : decimalCommas ? "decimal commas" : "thousands separators";
            throw DataFormatException.InFile(table.Source,
                $"column '{name}': {counted}; they look like numbers written with {how}, which are not read as numbers: "
                + $"rewrite them with a decimal point and no separators, or use --categorical {name} to keep them as categories");
        }

        if (forced || numbers >= AmbiguousNumericShare * (texts + numbers))
        {
            throw DataFormatException.InFile(table.Source,
                forced
                    ? $"column '{name}' is --numeric but {counted}; use --na-values {tokens} to read them as missing"
                    : $"column '{name}' is mostly numeric but {counted}; use --na-values {tokens} to read them as missing, "
                        + $"--numeric {name} to require numbers, or --categorical {name} to one-hot every value");
        }

        return false;
    }

    private static TabularColumn FitNumeric(CsvTable table, int column, ReadOnlySpan<int> trainRows, HashSet<string> na)
    {
        double sum = 0;
        int count = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (int r in trainRows)
        {
            if (ParseCell(table.Cell(r, column), na, out double value) == CsvNumbers.Kind.Finite)
            {
                sum += value;
                count++;
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }

        double mean = count > 0 ? sum / count : 0;
        if (count == 0)
        {
            // A column never present in training carries no information: every value maps to the imputed one.
            (min, max) = (mean, mean);
        }

        double squares = 0;
        foreach (int r in trainRows)
        {
            if (ParseCell(table.Cell(r, column), na, out double value) == CsvNumbers.Kind.Finite)
            {
                squares += (value - mean) * (value - mean);
            }
        }

        double std = count > 0 ? Math.Sqrt(squares / count) : 0;
        std = std > 1e-12 * Math.Max(1, Math.Abs(mean)) ? std : 1;

        // Clipping to the training range keeps an absurd input from extrapolating the network far outside what it was
        // fitted on (diamonds: y = 58.9 mm against a training maximum near 10 gave a price ten times too large).
        return new TabularColumn
        {
            Name = table.Header[column],
            Kind = ColumnKind.Numeric,
            Mean = mean,
            Std = std,
            Transform = new NumericTransform(mean, min, max, mean, std),
            MissingIndicator = count < trainRows.Length,
        };
    }

    private static TabularColumn FitCategorical(CsvTable table, int column, ReadOnlySpan<int> trainRows, HashSet<string> na)
    {
        var categories = new HashSet<string>(StringComparer.Ordinal);
        foreach (int r in trainRows)
        {
            categories.Add(CategoryOf(table.Cell(r, column), na));
        }

        if (categories.Count > MaxCategories)
        {
            throw DataFormatException.InFile(
                table.Source,
                $"column '{table.Header[column]}' has {categories.Count} distinct non-numeric values, more than the {MaxCategories} categories one-hot encoding allows (is it an identifier? drop it)");
        }

        var sorted = categories.ToList();
        sorted.Sort(StringComparer.Ordinal);
        return new TabularColumn { Name = table.Header[column], Kind = ColumnKind.Categorical, Categories = sorted };
    }
}
