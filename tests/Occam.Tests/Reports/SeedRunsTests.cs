using Occam.Reports;

namespace Occam.Tests.Reports;

public sealed class SeedRunsTests : IDisposable
{
    private readonly string _root = RunFixtures.NewTemporaryDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void SpreadIsTheMeanAndTheSampleStandardDeviation()
    {
        var spread = SeedSpread.Of([1, 2, 6]);
        Assert.Equal(3, spread.Mean, 12);
        Assert.Equal(Math.Sqrt(7), spread.StandardDeviation, 12);
        Assert.Equal("3.00 ± 2.65", spread.Format("F2"));
        Assert.Equal("300.0 ± 264.6", spread.Format("F1", 100));
    }

    [Fact]
    public void OneSeedHasNoDeviationAndShowsTheMeanAlone()
    {
        var spread = SeedSpread.Of([0.25]);
        Assert.True(double.IsNaN(spread.StandardDeviation));
        Assert.Equal("0.250", spread.Format("F3"));
        Assert.Throws<ArgumentException>(() => SeedSpread.Of([]));
    }

    [Fact]
    public void EachMethodAveragesItsSelectedEpochOverTheSeedsThatRanIt()
    {
        var first = new SeedRuns(1, [Run("dense", 3, prunes: false), Run("occam", 3)]);
        var second = new SeedRuns(2, [Run("dense", 5, prunes: false)]);

        var methods = MethodOverSeeds.From([first, second]);

        Assert.Equal(["dense", "occam"], methods.Select(m => m.Method));
        var dense = methods[0];
        var runs = new[] { first.Runs[0].Summary, second.Runs[0].Summary };
        Assert.Equal(2, dense.Seeds);
        Assert.Equal(runs.Average(r => r.Best.TestLoss!.Value), dense.TestLoss!.Value.Mean, 12);
        Assert.Equal(runs.Average(r => r.TotalTrainSeconds), dense.TrainSeconds.Mean, 12);
        Assert.Equal(runs.Average(r => (double)r.Best.Epoch), dense.SelectedEpoch.Mean, 12);
        Assert.Null(dense.TestRmse);
        Assert.Equal(1, methods[1].Seeds);
        Assert.Equal(first.Runs[1].Summary.Best.Density, methods[1].Density.Mean);
    }

    private ReportedRun Run(string method, int epochs, bool prunes = true)
    {
        string directory = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        return new ReportedRun(method, RunFixtures.WriteRun(directory, method, epochs, prunes));
    }
}
