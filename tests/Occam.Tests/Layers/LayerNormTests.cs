using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Layers;

public class LayerNormTests
{
    private static LayerNorm BuiltWithRandomAffine(int[] shape)
    {
        var layer = new LayerNorm();
        layer.Build(shape, new Random(1));
        // Non-trivial gain and shift so their gradients (and their effect on the input gradient) are exercised.
        Initialize.Uniform(layer.Weight.Value.Span, 1f, new Random(4));
        Initialize.Uniform(layer.Bias.Value.Span, 1f, new Random(5));
        return layer;
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var layer = BuiltWithRandomAffine([3, 8]);
        var input = new Tensor(2, 3, 8);
        Initialize.Uniform(input.Span, 2f, new Random(2));
        GradientCheck.Check(layer, input, step: 1e-3f, tolerance: 1e-2, samples: 48);
    }

    [Fact]
    public void GradientsMatchFiniteDifferencesOnFlatInput()
    {
        var layer = BuiltWithRandomAffine([5]);
        var input = new Tensor(4, 5);
        Initialize.Uniform(input.Span, 2f, new Random(3));
        GradientCheck.Check(layer, input, step: 1e-3f, tolerance: 1e-2, samples: 20);
    }

    [Fact]
    public void NormalisesEachRowToZeroMeanAndUnitVariance()
    {
        var layer = new LayerNorm();
        layer.Build([4], new Random(1));
        Assert.Equal(["weight", "bias"], layer.Parameters.Select(p => p.Name));
        Assert.All(layer.Parameters, p => Assert.False(p.IsPrunable));
        Assert.All(layer.Weight.Value.Span.ToArray(), v => Assert.Equal(1f, v));
        Assert.All(layer.Bias.Value.Span.ToArray(), v => Assert.Equal(0f, v));

        var y = layer.Forward(Tensor.From([1f, 2f, 3f, 4f, 10f, 10f, 10f, 10f], 2, 4), training: false).Span;
        // Row 1: mean 2.5, variance 1.25.
        float s = 1f / MathF.Sqrt(1.25f + 1e-5f);
        Assert.Equal([-1.5f * s, -0.5f * s, 0.5f * s, 1.5f * s], y[..4].ToArray());
        // A constant row normalises to zero (ε keeps it finite).
        Assert.Equal([0f, 0f, 0f, 0f], y[4..].ToArray());
    }

    [Fact]
    public void DoesNotAllocateAfterTheFirstBatch()
    {
        var layer = BuiltWithRandomAffine([6, 8]);
        var input = new Tensor(4, 6, 8);
        Initialize.Uniform(input.Span, 1f, new Random(2));
        var dy = input.Clone();
        layer.Forward(input, training: true);
        layer.Backward(dy);
        long before = GC.GetAllocatedBytesForCurrentThread();
        layer.Forward(input, training: true);
        layer.Backward(dy);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
