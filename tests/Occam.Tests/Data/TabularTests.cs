using Occam.Data;
using Occam.Tensors;

namespace Occam.Tests.Data;

public class TabularTests
{
    private static float[] Row(Tensor t, int row) => t.Span.Slice(row * t.RowLength, t.RowLength).ToArray();

    private static TabularPreprocessor FitAll(CsvTable table, string label = "class")
    {
        int[] all = Enumerable.Range(0, table.RowCount).ToArray();
        return TabularPreprocessor.Fit(table, label, all);
    }

    [Fact]
    public void LabelColumnDefaultsToClassThenLastAndCanBeChosen()
    {
        CsvTable withClass = CsvTable.Parse("class,x,y\na,1,5\nb,2,6\na,3,7\nb,4,8\n", "first.csv");
        Assert.Equal("class", TabularLoader.ResolveLabelColumn(withClass, null));
        TabularData data = TabularLoader.FromTable(withClass, new TabularOptions { TestFraction = 0.5, Seed = 3 });
        Assert.Equal(["a", "b"], data.Preprocessor.Classes);
        Assert.Equal(["x", "y"], data.Preprocessor.FeatureNames);
        Assert.Equal(2, data.Train.Count);
        Assert.Equal(2, data.Test.Count);
        Assert.Equal([0, 1], data.Train.Labels.Order().ToArray());

        CsvTable noClass = CsvTable.Parse("x,kind,y\n1,p,0\n2,q,1\n", "last.csv");
        Assert.Equal("y", TabularLoader.ResolveLabelColumn(noClass, null));
        Assert.Equal("kind", TabularLoader.ResolveLabelColumn(noClass, "kind"));
        TabularData chosen = TabularLoader.FromTable(noClass, new TabularOptions { LabelColumn = "kind", TestFraction = 0 });
        Assert.Equal(["p", "q"], chosen.Train.ClassNames);
        Assert.Equal(["x", "y"], chosen.Preprocessor.FeatureNames);
        Assert.Contains("'nope'", Assert.Throws<DataFormatException>(() => TabularLoader.ResolveLabelColumn(noClass, "nope")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NumericClassesSortByValue()
    {
        CsvTable table = CsvTable.Parse("x,class\n1,10\n2,2\n3,1\n", "n.csv");
        Assert.Equal(["1", "2", "10"], FitAll(table).Classes);
    }

    [Fact]
    public void StandardisationAndClippingUseTrainingRowsOnly()
    {
        CsvTable table = CsvTable.Parse("x,class\n1,a\n3,b\n100,a\n-7,b\n", "s.csv");
        TabularPreprocessor p = TabularPreprocessor.Fit(table, "class", [0, 1]);

        Assert.Equal(2, p.Columns[0].Mean, 12);
        Assert.Equal(1, p.Columns[0].Std, 12);
        Assert.Equal(new NumericTransform(2, 1, 3, 2, 1), p.Columns[0].Transform);
        Tensor x = p.TransformFeatures(table);
        Assert.Equal([-1f, 1f, 1f, -1f], x.Span.ToArray());
    }

    [Fact]
    public void MissingNumericCellsAreImputedWithAnIndicator()
    {
        CsvTable table = CsvTable.Parse("x,y,class\n1,5,a\n,7,b\n3,9,a\n\"\",8,b\n", "m.csv");
        TabularPreprocessor p = FitAll(table);

        Assert.Equal(["x", "x_missing", "y"], p.FeatureNames);
        Assert.True(p.Columns[0].MissingIndicator);
        Assert.False(p.Columns[1].MissingIndicator);
        Assert.Equal(2, p.Columns[0].Mean, 12);
        Tensor features = p.TransformFeatures(table);
        Assert.Equal([-1f, 0f], Row(features, 0)[..2]);
        Assert.Equal([0f, 1f], Row(features, 1)[..2]);
        Assert.Equal([0f, 1f], Row(features, 3)[..2]);

        // A column complete in training but missing at prediction is imputed without an indicator.
        CsvTable later = CsvTable.Parse("x,y\n1,\n", "later.csv");
        Assert.Equal([-1f, 0f, 0f], Row(p.TransformFeatures(later), 0));
    }

    [Fact]
    public void CategoricalsAreOneHotWithMissingAsACategoryAndUnseenAsZeros()
    {
        CsvTable table = CsvTable.Parse("colour,n,class\nred,1,a\nblue,2,b\n,3,a\nred,4,b\n", "c.csv");
        TabularPreprocessor p = FitAll(table);

        Assert.Equal(ColumnKind.Categorical, p.Columns[0].Kind);
        Assert.Equal(["colour=<missing>", "colour=blue", "colour=red", "n"], p.FeatureNames);
        Tensor features = p.TransformFeatures(table);
        Assert.Equal([0f, 0f, 1f], Row(features, 0)[..3]);
        Assert.Equal([1f, 0f, 0f], Row(features, 2)[..3]);

        CsvTable unseen = CsvTable.Parse("n,colour\n2.5,green\n", "u.csv");
        Assert.False(p.HasLabels(unseen));
        Assert.Equal([0f, 0f, 0f, 0f], Row(p.TransformFeatures(unseen), 0));
    }

    [Fact]
    public void NaNAndInfinityAreErrorsNamingLineAndColumn()
    {
        var nan = Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(CsvTable.Parse("x,y,class\n1,2,a\n3,NaN,b\n", "bad.csv")));
        Assert.Equal("bad.csv, line 3, column 2 ('y'): 'NaN' is not a finite number (NaN and infinity are not allowed)", nan.Message);

        var inf = Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(CsvTable.Parse("x,class\n1,a\n-inf,b\n", "inf.csv")));
        Assert.Contains("line 3, column 1", inf.Message, StringComparison.Ordinal);

        var huge = Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(CsvTable.Parse("x,class\n1,a\n1e39,b\n", "big.csv")));
        Assert.Contains("float range", huge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonNumericCellAtPredictionNamesLineAndColumn()
    {
        TabularPreprocessor p = FitAll(CsvTable.Parse("x,class\n1,a\n2,b\n", "t.csv"));
        var e = Assert.Throws<DataFormatException>(() => p.TransformFeatures(CsvTable.Parse("x\n1\nabc\n", "new.csv")));
        Assert.Equal("new.csv, line 3, column 1 ('x'): 'abc' is not a number", e.Message);
        Assert.Contains("'x' is missing", Assert.Throws<DataFormatException>(() => p.TransformFeatures(CsvTable.Parse("z\n1\n", "z.csv"))).Message, StringComparison.Ordinal);
        Assert.Contains("not seen in training", Assert.Throws<DataFormatException>(() => p.TransformLabels(CsvTable.Parse("x,class\n1,c\n", "c.csv"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleClassAndMissingLabelAreErrors()
    {
        var single = Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(CsvTable.Parse("x,class\n1,a\n2,a\n", "one.csv")));
        Assert.Contains("same class 'a'", single.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(CsvTable.Parse("x,class\n1,a\n2,\n3,b\n", "m.csv")));
        Assert.Contains("line 3", missing.Message, StringComparison.Ordinal);
        Assert.Contains("no feature columns", Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(CsvTable.Parse("class\na\nb\n", "l.csv"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentifierLikeColumnIsRefusedRatherThanOneHotEncoded()
    {
        var csv = new System.Text.StringBuilder("id,x,class\n");
        for (int i = 0; i <= TabularPreprocessor.MaxCategories; i++)
        {
            csv.Append("row").Append(i).Append(',').Append(i).Append(',').Append(i % 2).Append('\n');
        }

        var e = Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(CsvTable.Parse(csv.ToString(), "ids.csv"), new TabularOptions { TestFraction = 0 }));
        Assert.Contains("column 'id' has 1001 distinct", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileIsAnError()
    {
        using var dir = new TempDir();
        string path = dir.Write("empty.csv", []);
        Assert.Equal($"{path}: the file is empty (no header row)", Assert.Throws<DataFormatException>(() => TabularLoader.Load(path)).Message);
    }

    [Fact]
    public void JsonRoundTripGivesIdenticalTransforms()
    {
        CsvTable table = CsvTable.Parse(
            "x,colour,y,class\n1.5,red,0.1,a\n,blue,0.25,b\n3.25,,1e-3,a\n2,red,7,b\n0.3333333333333333,green,-2,c\n", "j.csv");
        TabularPreprocessor p = TabularPreprocessor.Fit(table, "class", [0, 1, 2, 3]);

        string json = p.ToJson();
        TabularPreprocessor back = TabularPreprocessor.FromJson(json);

        Assert.Contains("\"label_column\": \"class\"", json, StringComparison.Ordinal);
        Assert.Contains("\"missing_indicator\": true", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"categorical\"", json, StringComparison.Ordinal);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(p.FeatureNames, back.FeatureNames);
        Assert.Equal(p.TransformFeatures(table).Span.ToArray(), back.TransformFeatures(table).Span.ToArray());
        Assert.Equal(p.TransformLabels(table), back.TransformLabels(table));

        using var dir = new TempDir();
        string path = dir.File("pre.json");
        p.Save(path);
        Assert.Equal(json, TabularPreprocessor.Load(path).ToJson());
    }

    [Fact]
    public void InvalidPreprocessorJsonIsADataFormatError()
    {
        Assert.Throws<DataFormatException>(() => TabularPreprocessor.FromJson("{not json", "p.json"));
        Assert.Throws<DataFormatException>(() => TabularPreprocessor.FromJson("null", "p.json"));
        Assert.Throws<DataFormatException>(() => TabularPreprocessor.FromJson(
            "{\"label_column\":\"class\",\"classes\":[\"a\"],\"columns\":[{\"name\":\"x\",\"kind\":\"numeric\",\"mean\":0,\"std\":1}]}", "p.json"));
        Assert.Throws<DataFormatException>(() => TabularPreprocessor.FromJson(
            "{\"label_column\":\"class\",\"classes\":[\"a\",\"b\"],\"columns\":[{\"name\":\"x\",\"kind\":\"numeric\",\"mean\":0,\"std\":0}]}", "p.json"));
    }

    [Fact]
    public void SplitIsStratifiedAndPreprocessingFitOnItsTrainingRows()
    {
        var csv = new System.Text.StringBuilder("v,class\n");
        for (int i = 0; i < 100; i++)
        {
            csv.Append(i).Append(',').Append(i % 4 == 0 ? "rare" : "common").Append('\n');
        }

        TabularData data = TabularLoader.FromTable(CsvTable.Parse(csv.ToString(), "s.csv"), new TabularOptions { TestFraction = 0.2, Seed = 5 });
        Assert.Equal(80, data.Train.Count);
        Assert.Equal(5, data.Test.Labels.Count(l => l == 1));
        double trainMean = data.TrainRows.Average();
        Assert.Equal(trainMean, data.Preprocessor.Columns[0].Mean, 9);
        Assert.Empty(data.TrainRows.Intersect(data.TestRows));
    }

    [Fact]
    public void ShippedTablesLoad()
    {
        string root = RepositoryRoot();
        foreach (string file in new[] { "iris.csv", "housevotes84.csv", "vowel.csv", "wine.csv" })
        {
            TabularData data = TabularLoader.Load(Path.Combine(root, "data", "tabular", file));
            Assert.True(data.Train.Count > data.Test.Count);
            Assert.True(data.Preprocessor.Classes.Count >= 2);
            Assert.All(data.Train.Features.Span.ToArray(), v => Assert.True(float.IsFinite(v)));
        }

        TabularData votes = TabularLoader.Load(Path.Combine(root, "data", "tabular", "housevotes84.csv"));
        Assert.Contains("V11=<missing>", votes.Preprocessor.FeatureNames);
    }

    internal static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Occam.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Occam.sln not found above the test binaries.");
    }
}
