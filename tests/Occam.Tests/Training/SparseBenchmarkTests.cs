using Occam.Benchmarks;

namespace Occam.Tests.Training;

public class SparseBenchmarkTests
{
    [Fact]
    public void MeasuresEveryDensityAndPicksTheSparsePathWhenSparse()
    {
        var rows = SparseBenchmark.Run(new SparseBenchmarkOptions
        {
            Densities = [1.0, 0.1],
            TimedSteps = 2,
            InferenceBatches = 1,
            InferenceBatchSize = 32,
            Rounds = 1,
            WarmupSteps = 1,
            WarmupBatches = 0,
        });
        Assert.Equal([1.0, 0.1], rows.Select(r => r.Density));
        Assert.False(rows[0].TrainingRanSparse || rows[0].InferenceRanSparse);
        Assert.True(rows[1].TrainingRanSparse && rows[1].InferenceRanSparse);
        Assert.All(rows, r => Assert.True(r.TrainEpochSeconds > 0 && r.InferenceExamplesPerSecond > 0));
    }
}
