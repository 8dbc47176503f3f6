using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Layers;

public class Conv2DTests
{
    [Theory]
    [InlineData(1, Padding.Valid)]
    [InlineData(2, Padding.Valid)]
    [InlineData(3, Padding.Valid)]
    [InlineData(1, Padding.Same)]
    [InlineData(2, Padding.Same)]
    [InlineData(3, Padding.Same)]
    public void GradientsMatchFiniteDifferences(int kernelSize, Padding padding)
    {
        var layer = new Conv2D(3, kernelSize, padding);
        layer.Build([2, 5, 6], new Random(1));
        GradientCheck.Check(layer, TestData.Uniform(2, 2, 2, 5, 6), tolerance: 2e-3, samples: 60);
    }

    [Fact]
    public void GradientsMatchWithoutBias()
    {
        var layer = new Conv2D(2, 3, Padding.Valid, useBias: false);
        layer.Build([3, 4, 4], new Random(1));
        Assert.Single(layer.Parameters);
        GradientCheck.Check(layer, TestData.Uniform(3, 3, 3, 4, 4), tolerance: 2e-3, samples: 60);
    }

    [Fact]
    public void BackwardAfterInferenceForwardRecomputesColumns()
    {
        var layer = new Conv2D(3, 3);
        layer.Build([2, 4, 5], new Random(1));
        var input = TestData.Uniform(4, 3, 2, 4, 5);
        var outputGrad = TestData.Uniform(5, 3, 3, 4, 5);

        layer.Forward(input, training: true);
        var expectedInputGrad = layer.Backward(outputGrad).Span.ToArray();
        var expectedWeightGrad = layer.Weight.Grad.Span.ToArray();

        layer.Forward(input, training: false);
        Assert.Equal(expectedInputGrad, layer.Backward(outputGrad).Span.ToArray());
        Assert.Equal(expectedWeightGrad, layer.Weight.Grad.Span.ToArray());
    }

    [Theory]
    [InlineData(1, Padding.Valid)]
    [InlineData(2, Padding.Same)]
    [InlineData(3, Padding.Same)]
    [InlineData(4, Padding.Same)]
    [InlineData(3, Padding.Valid)]
    public void ForwardMatchesDirectConvolution(int k, Padding padding)
    {
        const int channels = 2, height = 5, width = 6, filters = 3;
        var layer = new Conv2D(filters, k, padding);
        layer.Build([channels, height, width], new Random(1));
        var input = TestData.Uniform(2, 2, channels, height, width);
        var y = layer.Forward(input, training: false);

        // TensorFlow's 'same': total padding k − 1 with the smaller half at the top/left.
        int pad = padding == Padding.Same ? (k - 1) / 2 : 0;
        int outHeight = padding == Padding.Same ? height : height - k + 1;
        int outWidth = padding == Padding.Same ? width : width - k + 1;
        Assert.Equal([filters, outHeight, outWidth], layer.OutputShape.ToArray());
        var w = layer.Weight.Value.Span;
        var b = layer.Bias!.Value.Span;
        var x = input.Span;
        for (int n = 0; n < 2; n++)
        {
            for (int f = 0; f < filters; f++)
            {
                for (int oy = 0; oy < outHeight; oy++)
                {
                    for (int ox = 0; ox < outWidth; ox++)
                    {
                        double sum = b[f];
                        for (int c = 0; c < channels; c++)
                        {
                            for (int ki = 0; ki < k; ki++)
                            {
                                for (int kj = 0; kj < k; kj++)
                                {
                                    int iy = oy + ki - pad, ix = ox + kj - pad;
                                    if (iy >= 0 && iy < height && ix >= 0 && ix < width)
                                    {
                                        sum += w[((f * channels + c) * k + ki) * k + kj] * x[((n * channels + c) * height + iy) * width + ix];
                                    }
                                }
                            }
                        }

                        float actual = y.Span[((n * filters + f) * outHeight + oy) * outWidth + ox];
                        Assert.Equal(sum, actual, 1e-5);
                    }
                }
            }
        }
    }

    [Fact]
    public void SamePaddingWithAnEvenKernelPadsBottomAndRight()
    {
        var layer = new Conv2D(1, 2, Padding.Same, useBias: false);
        layer.Build([1, 3, 3], new Random(1));
        layer.Weight.Value.Span.Fill(1f);
        var y = layer.Forward(Tensor.From([1f, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3), training: false);
        Assert.Equal([12f, 16, 9, 24, 28, 15, 15, 17, 9], y.Span.ToArray());
    }

    [Fact]
    public void ParametersAreNamedShapedAndInitialisedLikePyTorch()
    {
        var layer = new Conv2D(4, 3);
        layer.Build([2, 6, 6], new Random(1));
        Assert.Equal(["weight", "bias"], layer.Parameters.Select(p => p.Name));
        Assert.Equal([4, 2, 3, 3], layer.Weight.Value.Shape.ToArray());
        Assert.True(layer.Weight.IsPrunable);
        Assert.False(layer.Bias!.IsPrunable);
        float bound = 1f / MathF.Sqrt(2 * 3 * 3);
        Assert.All(layer.Weight.Value.Span.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.Contains(layer.Weight.Value.Span.ToArray(), v => Math.Abs(v) > bound / 2);
    }

    [Fact]
    public void MultiplyAccumulatesCountOutputPositionsTimesWeights()
    {
        var layer = new Conv2D(4, 3, Padding.Same);
        layer.Build([2, 6, 5], new Random(1));
        Assert.Equal(6L * 5 * 4 * 2 * 3 * 3, layer.MultiplyAccumulates(liveOnly: false));
        layer.Weight.Value.Span[..10].Clear();
        Assert.Equal(6L * 5 * (4 * 2 * 3 * 3 - 10), layer.MultiplyAccumulates(liveOnly: true));
    }

    [Fact]
    public void ValidPaddingRejectsImagesSmallerThanTheKernel() =>
        Assert.Throws<ArgumentException>(() => new Conv2D(2, 5, Padding.Valid).Build([1, 4, 8], new Random(1)));
}
