using Occam.Tensors;
using Occam.Training;

namespace Occam.Tests.Training;

public class MetricsTests
{
    private static readonly Tensor Probabilities = Tensor.From([0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f, 0f, 1f, 0f], 3, 3);

    [Fact]
    public void LogLossAveragesNegativeLogOfTrueClassWithClipping()
    {
        double expected = -(Math.Log(0.7f) + Math.Log(0.6f) + Math.Log(1e-7f)) / 3;
        Assert.Equal(expected, Metrics.LogLoss(Probabilities, [0, 2, 0]), 1e-9);
    }

    [Fact]
    public void AccuracyCountsArgmaxHits()
    {
        Assert.Equal(2.0 / 3.0, Metrics.Accuracy(Probabilities, [0, 2, 0]), 1e-12);
        Assert.Equal(1.0, Metrics.Accuracy(Probabilities, [0, 2, 1]), 1e-12);
    }

    [Fact]
    public void MismatchedLabelsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Metrics.LogLoss(Probabilities, [0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.Accuracy(Probabilities, [0, 1, 3]));
    }
}
