using Occam.Data;

namespace Occam.Tests.Data;

public class CsvTypingTests
{
    /// <summary>Feature counts measured on main before typed ingestion: the shipped files must read exactly as before.</summary>
    [Theory]
    [InlineData("tabular", "breast-cancer-wdbc.csv", 30)]
    [InlineData("tabular", "digits.csv", 64)]
    [InlineData("tabular", "glass.csv", 9)]
    [InlineData("tabular", "housevotes84.csv", 48)]
    [InlineData("tabular", "iris.csv", 4)]
    [InlineData("tabular", "pima-diabetes.csv", 8)]
    [InlineData("tabular", "satellite.csv", 36)]
    [InlineData("tabular", "sonar.csv", 60)]
    [InlineData("tabular", "vowel.csv", 10)]
    [InlineData("tabular", "wine.csv", 13)]
    [InlineData("regression", "diabetes.csv", 10)]
    [InlineData("regression", "ozone.csv", 19)]
    [InlineData("regression", "servo.csv", 12)]
    [InlineData("regression", "diamonds.csv.gz", 26)]
    public void ShippedFilesKeepTheirFeatureCounts(string folder, string file, int features)
    {
        TabularData data = TabularLoader.Load(Path.Combine(TabularTests.RepositoryRoot(), "data", folder, file));
        Assert.Equal(features, data.Preprocessor.FeatureCount);
    }

    /// <summary>20 rows: numeric x (quoted; <paramref name="stray"/> in the rows it names), categorical colour, class a/b.</summary>
    private static CsvTable Table(Dictionary<int, string>? stray = null)
    {
        var text = new System.Text.StringBuilder("x,colour,class\n");
        for (int r = 0; r < 20; r++)
        {
            string x = stray is not null && stray.TryGetValue(r, out string? cell) ? cell : (r * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            text.Append('"').Append(x).Append("\",").Append(r % 3 == 0 ? "red" : "blue").Append(',').Append(r % 2 == 0 ? "a" : "b").Append('\n');
        }

        return CsvTable.Parse(text.ToString(), "t.csv");
    }

    private static TabularPreprocessor FitAll(CsvTable table, ColumnTyping? typing = null) =>
        TabularPreprocessor.Fit(table, "class", Enumerable.Range(0, table.RowCount).ToArray(), LearningTask.Classification, typing);

    [Fact]
    public void AStrayTextCellInANumericColumnIsAnErrorNamingColumnLinesAndFixes()
    {
        var e = Assert.Throws<DataFormatException>(() => FitAll(Table(new() { [3] = "n/a", [7] = "?" })));
        // Data row 3 is on line 5 (the header is line 1).
        Assert.Equal(
            "t.csv: column 'x' is mostly numeric but 2 of 20 non-missing cells are not numbers (line 5 'n/a', line 9 '?'); "
            + "use --na-values n/a,? to read them as missing, --numeric x to require numbers, or --categorical x to one-hot every value",
            e.Message);
    }

    [Fact]
    public void AtMostFiveOffendingRowsAreListed()
    {
        var stray = Enumerable.Range(0, 7).ToDictionary(r => r * 2 + 1, _ => "NA");
        var e = Assert.Throws<DataFormatException>(() => FitAll(Table(stray), new ColumnTyping { Numeric = ["x"] }));
        Assert.Contains("7 of 20 non-missing cells are not numbers (line 3 'NA', line 5 'NA', line 7 'NA', line 9 'NA', line 11 'NA', …)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaValuesMakeTheColumnNumericWithAMissingIndicatorRememberedForPrediction()
    {
        CsvTable table = Table(new() { [3] = "n/a" });
        TabularPreprocessor p = FitAll(table, new ColumnTyping { NaValues = ["n/a"] });

        Assert.Equal(ColumnKind.Numeric, p.Columns[0].Kind);
        Assert.True(p.Columns[0].MissingIndicator);
        Assert.Equal(["x", "x_missing", "colour=blue", "colour=red"], p.FeatureNames);
        TabularPreprocessor read = TabularPreprocessor.FromJson(p.ToJson());
        Assert.Equal(["n/a"], read.NaValues);
        var row = read.TransformFeatures(CsvTable.Parse("x,colour\nn/a,red\n", "new.csv")).Span.ToArray();
        Assert.Equal([0f, 1f, 0f, 1f], row);
        // Without the token remembered, the same cell is refused rather than read as some number.
        var e = Assert.Throws<DataFormatException>(() => FitAll(table).TransformFeatures(table));
        Assert.Contains("column 'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaValuesAreMissingInCategoricalColumnsToo()
    {
        CsvTable table = CsvTable.Parse("c,class\nu,a\nv,b\n?,a\n,b\n", "c.csv");
        TabularPreprocessor p = FitAll(table, new ColumnTyping { NaValues = ["?"] });
        Assert.Equal(["", "u", "v"], p.Columns[0].Categories);
        Assert.Equal(2, TabularSchema.Describe(table, p).Columns[0].Missing);
    }

    [Theory]
    [InlineData("6,575", "decimal commas or thousands separators")]
    [InlineData("6,5", "decimal commas")]
    [InlineData("12,345.5", "thousands separators")]
    public void NumbersWithCommasAreNamedNotReadAsCategories(string cell, string named)
    {
        // Every cell written with commas: no number parses at all, so only the shape gives them away.
        var all = Enumerable.Range(0, 20).ToDictionary(r => r, _ => cell);
        var e = Assert.Throws<DataFormatException>(() => FitAll(Table(all)));
        Assert.Contains($"column 'x': 20 of 20 non-missing cells are not numbers", e.Message, StringComparison.Ordinal);
        Assert.Contains($"they look like numbers written with {named}, which are not read as numbers", e.Message, StringComparison.Ordinal);
        Assert.Contains("--categorical x", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForcedKindsOverrideInference()
    {
        TabularPreprocessor categorical = FitAll(Table(), new ColumnTyping { Categorical = ["x"] });
        Assert.Equal(ColumnKind.Categorical, categorical.Columns[0].Kind);
        Assert.Equal(20, categorical.Columns[0].Categories!.Count);

        // A column of few numbers and many words is plainly categorical (the rule's other side)...
        var words = Enumerable.Range(0, 10).ToDictionary(r => r, r => "w" + r);
        Assert.Equal(ColumnKind.Categorical, FitAll(Table(words)).Columns[0].Kind);
        // ...and --numeric refuses it, naming the first rows and the tokens.
        var e = Assert.Throws<DataFormatException>(() => FitAll(Table(words), new ColumnTyping { Numeric = ["x"] }));
        Assert.StartsWith("t.csv: column 'x' is --numeric but 10 of 20 non-missing cells are not numbers (line 2 'w0',", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; use --na-values w0,w1,w2,w3,w4 to read them as missing", e.Message, StringComparison.Ordinal);

        TabularPreprocessor numeric = FitAll(Table(new() { [2] = "NA" }), new ColumnTyping { Numeric = ["x"], NaValues = ["NA"] });
        Assert.Equal(ColumnKind.Numeric, numeric.Columns[0].Kind);
    }

    [Theory]
    [InlineData("nope", null, "--categorical nope: no such column")]
    [InlineData("class", null, "--categorical class: that is the label column")]
    [InlineData("x", "x", "column 'x' is forced both --categorical and --numeric")]
    public void BadForcedColumnsAreErrors(string categorical, string? numeric, string message)
    {
        var typing = new ColumnTyping { Categorical = [categorical], Numeric = numeric is null ? [] : [numeric] };
        Assert.Contains(message, Assert.Throws<DataFormatException>(() => FitAll(Table(), typing)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSchemaSaysWhatWasDecided()
    {
        CsvTable table = Table(new() { [3] = "n/a", [4] = "" });
        TabularSchema schema = TabularSchema.Describe(table, FitAll(table, new ColumnTyping { NaValues = ["n/a"] }));

        Assert.Equal("1 numeric, 1 categorical (colour), 1 with missing values; label 'class'", schema.Summary());
        Assert.Equal(2, schema.Columns[0].Missing);
        Assert.Null(schema.Columns[0].Levels);
        Assert.Equal(["blue", "red"], schema.Columns[1].Levels);
        using var json = System.Text.Json.JsonDocument.Parse(schema.ToJson());
        Assert.Equal("categorical", json.RootElement.GetProperty("columns")[1].GetProperty("kind").GetString());
        Assert.Equal(["n/a"], json.RootElement.GetProperty("na_values").EnumerateArray().Select(v => v.GetString()));
    }
}
