using System.Globalization;
using System.Text;
using Occam.Data;

namespace Occam.Tests.Data;

public class TabularRegressionTests
{
    /// <summary>40 rows: a numeric feature, a categorical one with a gap, and a target with 40 distinct values.</summary>
    private static CsvTable Table()
    {
        var text = new StringBuilder("x,colour,target\n");
        for (int i = 0; i < 40; i++)
        {
            string colour = i % 7 == 0 ? "" : (i % 2 == 0 ? "red" : "blue");
            text.Append(CultureInfo.InvariantCulture, $"{i * 0.5},{colour},{100 + (3 * i)}\n");
        }

        return CsvTable.Parse(text.ToString(), "r.csv");
    }

    [Fact]
    public void ANumericLabelWithManyValuesIsInferredAsRegression()
    {
        var inference = TabularLoader.InferTask(Table(), "target");
        Assert.Equal(LearningTask.Regression, inference.Task);
        Assert.Equal(40, inference.DistinctValues);
        Assert.Contains("inferred task regression", inference.Describe(), StringComparison.Ordinal);
        Assert.Equal(LearningTask.Classification, TabularLoader.InferTask(Table(), "colour").Task);

        // A numeric label with few values, or a column named 'class', stays classification.
        var few = CsvTable.Parse("x,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{i % 5}\n")), "few.csv");
        Assert.Equal(LearningTask.Classification, TabularLoader.InferTask(few, "y").Task);
        var named = CsvTable.Parse("x,class\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{i}\n")), "named.csv");
        Assert.Equal(LearningTask.Classification, TabularLoader.InferTask(named, "class").Task);
    }

    [Fact]
    public void TargetsAreStandardisedOnTheTrainingSplitAndTheScalingRoundTrips()
    {
        var table = Table();
        var data = TabularLoader.FromTable(table, new TabularOptions { Seed = 2 });

        Assert.Equal(LearningTask.Regression, data.Train.Task);
        Assert.Equal("target", data.Preprocessor.LabelColumn);
        Assert.Equal(32, data.Train.Count);
        Assert.Equal(8, data.Test.Count);
        var trainTargets = data.TrainRows.Select(r => 100.0 + (3 * r)).ToArray();
        var scaling = data.Preprocessor.Target!;
        Assert.Equal(trainTargets.Average(), scaling.Mean, 9);
        Assert.Equal(Math.Sqrt(trainTargets.Select(v => (v - scaling.Mean) * (v - scaling.Mean)).Average()), scaling.Std, 9);
        Assert.Equal(0.0, data.Train.Targets!.Average(), 5);
        for (int i = 0; i < data.Test.Count; i++)
        {
            Assert.Equal(100.0 + (3 * data.TestRows[i]), scaling.ToOriginal(data.Test.Targets![i]), 3);
        }

        // Saved and read back, the preprocessor gives the same standardised targets (and so the same original units).
        string json = data.Preprocessor.ToJson();
        Assert.Contains("\"target\"", json, StringComparison.Ordinal);
        var loaded = TabularPreprocessor.FromJson(json);
        Assert.Equal(LearningTask.Regression, loaded.Task);
        Assert.Equal(scaling, loaded.Target);
        Assert.Equal(data.Test.Targets, loaded.ToDataset(table, data.TestRows).Targets);
        Assert.Equal(data.Preprocessor.FeatureNames, loaded.FeatureNames);
    }

    [Fact]
    public void ClassificationPreprocessorJsonHasNoTarget()
    {
        var table = CsvTable.Parse("x,class\n1,a\n2,b\n3,a\n4,b\n", "c.csv");
        string json = TabularLoader.FromTable(table, new TabularOptions { TestFraction = 0.5 }).Preprocessor.ToJson();
        Assert.DoesNotContain("target", json, StringComparison.Ordinal);
        Assert.Equal(LearningTask.Classification, TabularPreprocessor.FromJson(json).Task);
    }

    [Fact]
    public void AMissingOrTextTargetIsReported()
    {
        var missing = CsvTable.Parse("x,target\n1,2.5\n2,\n3,4\n", "m.csv");
        var error = Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(missing, new TabularOptions { Task = LearningTask.Regression, TestFraction = 0 }));
        Assert.Contains("target is missing", error.Message, StringComparison.Ordinal);
        var text = CsvTable.Parse("x,target\n1,2.5\n2,high\n", "t.csv");
        error = Assert.Throws<DataFormatException>(() => TabularLoader.FromTable(text, new TabularOptions { Task = LearningTask.Regression, TestFraction = 0 }));
        Assert.Contains("numeric target", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegressionPrefersTheTargetColumn()
    {
        var table = CsvTable.Parse("target,x,y\n1,2,3\n", "t.csv");
        Assert.Equal("target", TabularLoader.ResolveLabelColumn(table, null, LearningTask.Regression));
        Assert.Equal("y", TabularLoader.ResolveLabelColumn(table, null, LearningTask.Classification));
        Assert.Equal("target", TabularLoader.ResolveLabelColumn(table, null, task: null));
    }
}
