using Occam.Cli.Engine;
using Occam.Cli.Output;

namespace Occam.Tests.Cli;

public sealed class PredictionCsvTests
{
    [Fact]
    public void ClassificationEndsWithThePredictedClass()
    {
        var table = new PredictionTable(["cat", "dog", "eel"], [[0.1f, 0.2f, 0.7f], [0.5f, 0.5f, 0f]], Regression: false);
        // A tie goes to the earlier class.
        Assert.Equal("cat,dog,eel,predicted\n0.100000001,0.200000003,0.699999988,eel\n0.5,0.5,0,cat\n", Write(table));
    }

    [Fact]
    public void APredictedColumnNeverTakesAClassName()
    {
        var table = new PredictionTable(["predicted", "other"], [[0.25f, 0.75f]], Regression: false);
        Assert.Equal("predicted,other,_predicted\n0.25,0.75,other\n", Write(table));
    }

    [Fact]
    public void RegressionWritesOnlyThePrediction()
    {
        var table = new PredictionTable(["price"], [[12.5f], [-3f]], Regression: true);
        Assert.Equal("price\n12.5\n-3\n", Write(table));
    }

    private static string Write(PredictionTable table)
    {
        using var writer = new StringWriter();
        PredictionCsv.Write(writer, table);
        return writer.ToString();
    }
}
