using Occam.Layers;
using Occam.Tests.Support;

namespace Occam.Tests.Layers;

public class DropoutTests
{
    [Fact]
    public void GradientsMatchFiniteDifferencesForAFixedMask()
    {
        var layer = new Dropout(0.3f, seed: 5);
        layer.Build([20], new Random(1));
        GradientCheck.Check(layer, TestData.Uniform(2, 4, 20), tolerance: 1e-3, samples: 80, beforeForward: layer.RestartMasks);
    }

    [Fact]
    public void TrainingKeepsAboutOneMinusRateAndScalesTheSurvivors()
    {
        var layer = new Dropout(0.25f, seed: 1);
        layer.Build([1000], new Random(1));
        var input = TestData.Uniform(2, 10, 1000);
        var y = layer.Forward(input, training: true).Span;
        int kept = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] != 0f)
            {
                kept++;
                Assert.Equal(input.Span[i] / 0.75f, y[i], 1e-5f);
            }
        }

        Assert.InRange(kept / 10000.0, 0.73, 0.77);
    }

    [Fact]
    public void InferenceIsTheIdentity()
    {
        var layer = new Dropout(0.5f, seed: 1);
        layer.Build([8], new Random(1));
        var input = TestData.Uniform(2, 3, 8);
        Assert.Equal(input.Span.ToArray(), layer.Forward(input, training: false).Span.ToArray());
        var grad = TestData.Uniform(3, 3, 8);
        Assert.Equal(grad.Span.ToArray(), layer.Backward(grad).Span.ToArray());
    }

    [Fact]
    public void TheSameSeedGivesTheSameMasksAndSuccessiveMasksDiffer()
    {
        var first = new Dropout(0.5f, seed: 9);
        var second = new Dropout(0.5f, seed: 9);
        first.Build([64], new Random(1));
        second.Build([64], new Random(2));
        var input = TestData.Uniform(2, 2, 64);
        var a1 = first.Forward(input, true).Span.ToArray();
        var a2 = first.Forward(input, true).Span.ToArray();
        Assert.Equal(a1, second.Forward(input, true).Span.ToArray());
        Assert.Equal(a2, second.Forward(input, true).Span.ToArray());
        Assert.NotEqual(a1, a2);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void RejectsRatesOutsideTheUnitInterval(float rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(rate, 1));
}
