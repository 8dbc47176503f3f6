using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Layers;

public class MaxPool2DTests
{
    [Theory]
    [InlineData(2, 6, 4)]
    [InlineData(2, 7, 5)]
    [InlineData(3, 7, 6)]
    public void GradientsMatchFiniteDifferences(int pool, int height, int width)
    {
        var layer = new MaxPool2D(pool);
        layer.Build([2, height, width], new Random(1));
        // Distinct inputs 0.05 apart: a ±0.01 perturbation never changes a window's winner.
        GradientCheck.Check(layer, TestData.Distinct(3, 0.05f, 2, 2, height, width), tolerance: 1e-3, samples: 200);
    }

    [Fact]
    public void ForwardTakesWindowMaximaAndFloorsOddSizes()
    {
        var layer = new MaxPool2D();
        Assert.Equal([1, 1, 1], layer.Build([1, 3, 3], new Random(1)));
        var y = layer.Forward(Tensor.From([1f, 5, 9, 3, 2, 8, 7, 6, 4], 1, 1, 3, 3), training: false);
        Assert.Equal([5f], y.Span.ToArray());
    }

    [Fact]
    public void BackwardRoutesEachGradientToItsWinner()
    {
        var layer = new MaxPool2D();
        layer.Build([1, 2, 4], new Random(1));
        layer.Forward(Tensor.From([1f, 4, 0, 2, 3, 2, 9, 1], 1, 1, 2, 4), training: true);
        var dx = layer.Backward(Tensor.From([10f, 20f], 1, 1, 1, 2));
        Assert.Equal([0f, 10, 0, 0, 0, 0, 20, 0], dx.Span.ToArray());
    }
}
