using Occam.Data;
using Occam.Tensors;

namespace Occam.Tests.Data;

public class NumericTransformTests
{
    [Fact]
    public void TransformImputesClipsCentresAndScales()
    {
        var t = new NumericTransform(Fill: 3, Low: 0, High: 10, Center: 4, Scale: 2);
        Assert.Equal(1f, t.Apply(6));
        Assert.Equal(3f, t.Apply(1e9));
        Assert.Equal(-2f, t.Apply(-50));
        Assert.Equal(-0.5f, t.Missing);
    }

    [Fact]
    public void NumericTransformsFollowColumnOrderAndSkipCategoricals()
    {
        CsvTable table = CsvTable.Parse("x,colour,y,class\n1,red,10,a\n3,blue,,b\n", "t.csv");
        TabularPreprocessor p = TabularPreprocessor.Fit(table, "class", [0, 1]);

        Assert.Equal(2, p.NumericTransforms.Count);
        Assert.Equal(p.Columns[0].Transform ?? p.NumericTransforms[0], p.NumericTransforms[0]);
        Assert.Equal(p.Columns[2].Transform ?? p.NumericTransforms[1], p.NumericTransforms[1]);
        Tensor features = p.TransformFeatures(table);
        Assert.Equal(p.NumericTransforms[0].Apply(3), features.Span[features.RowLength]);
        Assert.Equal(p.NumericTransforms[1].Missing, features.Span[features.RowLength + 3]);
    }

    [Fact]
    public void OlderJsonWithoutTransformsStandardisesWithoutClipping()
    {
        const string json = """
            {
              "label_column": "class",
              "classes": ["a", "b"],
              "columns": [{ "name": "x", "kind": "numeric", "mean": 2, "std": 4, "missing_indicator": true }]
            }
            """;
        TabularPreprocessor p = TabularPreprocessor.FromJson(json, "old.json");

        Assert.Equal([new NumericTransform(2, double.NegativeInfinity, double.PositiveInfinity, 2, 4)], p.NumericTransforms);
        CsvTable table = CsvTable.Parse("x,z\n1002,1\n,1\n", "new.csv");
        Assert.Equal([250f, 0f, 0f, 1f], p.TransformFeatures(table).Span.ToArray());
    }

    [Fact]
    public void TransformsRoundTripThroughJsonAndInvalidOnesAreRefused()
    {
        var column = new TabularColumn
        {
            Name = "x",
            Kind = ColumnKind.Numeric,
            Transform = new NumericTransform(1, double.NegativeInfinity, 5, 2, 3),
        };
        var p = new TabularPreprocessor("class", ["a", "b"], [column]);
        TabularPreprocessor back = TabularPreprocessor.FromJson(p.ToJson());
        Assert.Equal(p.NumericTransforms, back.NumericTransforms);
        Assert.Equal(1f, back.TransformFeatures(CsvTable.Parse("x\n99\n", "c.csv")).Span[0]);

        string bad = p.ToJson().Replace("\"scale\": 3", "\"scale\": 0", StringComparison.Ordinal);
        Assert.Contains("positive finite scale", Assert.Throws<DataFormatException>(() => TabularPreprocessor.FromJson(bad, "bad.json")).Message, StringComparison.Ordinal);
        string inverted = p.ToJson().Replace("\"high\": 5", "\"high\": \"-Infinity\"", StringComparison.Ordinal);
        Assert.Contains("low <= high", Assert.Throws<DataFormatException>(() => TabularPreprocessor.FromJson(inverted, "bad.json")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDiamondsTestRowsWithAbsurdWidthsEncodeAsTheWidestTrainingDiamond()
    {
        // Issue 19's case: seed 1's test split holds y = 58.9 mm and 31.8 mm while training widths stay near 0-10 mm.
        TabularData data = TabularLoader.Load(Path.Combine(TabularTests.RepositoryRoot(), "data", "regression", "diamonds.csv.gz"),
            new TabularOptions { Seed = 1, Task = LearningTask.Regression });
        int y = data.Table.ColumnIndex("y");
        int feature = data.Preprocessor.FeatureNames.ToList().IndexOf("y");
        var numeric = data.Preprocessor.Columns.Where(c => c.Kind == ColumnKind.Numeric).Select(c => c.Name).ToList();
        NumericTransform width = data.Preprocessor.NumericTransforms[numeric.IndexOf("y")];
        Assert.InRange(width.High, 5, 15);

        int absurd = Array.FindIndex(data.TestRows, r => data.Table.Cell(r, y) == "58.9");
        Assert.True(absurd >= 0);
        Tensor features = data.Test.Features;
        Assert.Equal(width.Apply(width.High), features.Span[(absurd * features.RowLength) + feature]);
    }
}
