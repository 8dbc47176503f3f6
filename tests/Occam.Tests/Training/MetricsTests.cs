using Occam.Benchmarks;
using Occam.Data;
using Occam.Kernels;
using Occam.Layers;
using Occam.Losses;
using Occam.Models;
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
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.LogLossOfLogits([1f, 2f], 2));
    }

    [Fact]
    public void LogLossFromLogitsIsTheLogLossOfTheirSoftmaxClippedAlike()
    {
        // Rows: moderate, a near-certain hit, a near-certain miss (p ≈ e⁻³⁰, clipped) and a close call.
        float[] logits = [1.5f, -0.3f, 0.2f, 12f, -3f, 0f, 30f, 0f, 0.5f, -4f, 2.5f, 2.4f];
        int[] labels = [2, 0, 1, 1];
        var probabilities = new Tensor(4, 3);
        double fromLogits = 0;
        for (int r = 0; r < 4; r++)
        {
            Softmax.Forward(logits.AsSpan(r * 3, 3), probabilities.Span.Slice(r * 3, 3));
            fromLogits += Metrics.LogLossOfLogits(logits.AsSpan(r * 3, 3), labels[r]);
        }

        double fromProbabilities = Metrics.LogLoss(probabilities, labels);
        Assert.True(Math.Abs((fromLogits / 4) - fromProbabilities) <= 1e-6 * fromProbabilities, $"logits {fromLogits / 4}, probabilities {fromProbabilities}");
        Assert.Equal(-Math.Log(Metrics.DefaultClip), Metrics.LogLossOfLogits(logits.AsSpan(6, 3), 1));

        // Logits whose exp overflows a float: log-softmax subtracts the maximum first. 1 + ln(1 + e⁻¹ + e⁻²⁰) = 1.3132617.
        Assert.Equal(1.3132617, Metrics.LogLossOfLogits([900f, 899f, 880f], 1), 1e-4);
    }

    [Fact]
    public void TabularScoresAreTheMeanCrossEntropyWhereNothingIsClipped()
    {
        var random = new Random(3);
        var features = new Tensor(300, 5);
        foreach (ref float v in features.Span)
        {
            v = (float)((random.NextDouble() * 2) - 1);
        }

        int[] labels = [.. Enumerable.Range(0, 300).Select(i => i % 4)];
        var data = new Dataset(features, labels, 4);
        var model = Sequential.Create([5], 2, new Dense(8), new ReLU(), new Dense(4));

        var (logLoss, _) = TabularBenchmark.Score(model, data, batchSize: 64);

        float crossEntropy = new SoftmaxCrossEntropy().Forward(model.Forward(features, training: false), labels);
        Assert.True(Math.Abs(logLoss - crossEntropy) <= 1e-6 * crossEntropy, $"score {logLoss}, cross-entropy {crossEntropy}");
    }
}
