using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Layers;

public class DenseTests
{
    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var layer = new Dense(5);
        layer.Build([7], new Random(1));
        var input = new Tensor(3, 7);
        Initialize.Uniform(input.Span, 1f, new Random(2));
        GradientCheck.Check(layer, input);
    }

    [Fact]
    public void ForwardComputesAffineMap()
    {
        var layer = new Dense(2);
        layer.Build([3], new Random(1));
        float[] w = [1, 2, 3, -1, 0, 1];
        w.CopyTo(layer.Weight.Value.Span);
        layer.Bias!.Value.Span[0] = 0.5f;
        layer.Bias.Value.Span[1] = -1f;
        var y = layer.Forward(Tensor.From([1f, 1f, 2f], 1, 3), training: false);
        Assert.Equal([9.5f, 0f], y.Span.ToArray());
    }
}
