using Occam.Benchmarks;

namespace Occam.Tests.Benchmarks;

public class SparseRegressionDemoTests
{
    [Fact]
    public void OccamKeepsEveryTrueWeightAndCutsMostFalseOnes()
    {
        var r = SparseRegressionDemo.Run(seed: 1);

        // Thresholds: all 10 true non-zeros kept; at most 20 of the 190 zero weights survive (measured: 0 on seeds 1-6).
        Assert.Equal(SparseRegressionDemo.TrueNonzeros, r.KeptTrue);
        Assert.True(r.SurvivingFalse <= 20, $"{r.SurvivingFalse} of 190 false weights survived");
        // Dropping the noise weights should not cost accuracy: Occam's test RMSE is at most plain GD's, near the noise floor.
        Assert.True(r.OccamRmse <= r.DenseRmse, $"occam {r.OccamRmse:F4}, plain GD {r.DenseRmse:F4}");
        Assert.InRange(r.OccamRmse, SparseRegressionDemo.NoiseStd * 0.9, SparseRegressionDemo.NoiseStd * 1.2);
    }

    [Fact]
    public void TheCommandPrintsWhatOccamKeptAndBothRmses()
    {
        var result = Cli.CliRunner.Run("demo", "sparse-regression", "--seed", "1");
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("occam kept 10 of the 10 true non-zeros; ", lines[1], StringComparison.Ordinal);
        Assert.Contains("of the 190 false weights survived", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"^test RMSE: occam \d\.\d{4}, plain gradient descent \d\.\d{4}", lines[2]);
    }
}
