using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Layers;

public class ActivationTests
{
    [Fact]
    public void GeluGradientsMatchFiniteDifferences()
    {
        var layer = new GELU();
        layer.Build([3, 7], new Random(1));
        var input = new Tensor(2, 3, 7);
        Initialize.Uniform(input.Span, 3f, new Random(2));
        GradientCheck.Check(layer, input, tolerance: 1e-3, samples: 42);
    }

    [Fact]
    public void GeluMatchesTheTanhApproximation()
    {
        var layer = new GELU();
        layer.Build([4], new Random(1));
        var y = layer.Forward(Tensor.From([-3f, -0.5f, 0f, 2f], 1, 4), training: false);
        // ½x(1 + tanh(√(2/π)(x + 0.044715x³))) evaluated in double precision.
        float[] expected = [-0.0036374f, -0.1542859f, 0f, 1.9545977f];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], y.Span[i], 5);
        }
    }

    [Fact]
    public void TanhGradientsMatchFiniteDifferences()
    {
        var layer = new Tanh();
        layer.Build([10], new Random(1));
        var input = new Tensor(3, 10);
        Initialize.Uniform(input.Span, 2f, new Random(2));
        GradientCheck.Check(layer, input, tolerance: 1e-3);
        Assert.Equal(MathF.Tanh(input.Span[0]), layer.Forward(input, false).Span[0], 6);
    }

    [Fact]
    public void ReLUGradientsMatchFiniteDifferences()
    {
        var layer = new ReLU();
        layer.Build([12], new Random(1));
        // Inputs at least 0.05 from the kink, so a ±0.01 step stays on one side.
        GradientCheck.Check(layer, TestData.Distinct(4, 0.05f, 3, 12), tolerance: 1e-3);
    }

    [Fact]
    public void FlattenKeepsRowMajorOrderAndShape()
    {
        var layer = new Flatten();
        Assert.Equal([24], layer.Build([2, 3, 4], new Random(1)));
        var input = TestData.Uniform(1, 2, 2, 3, 4);
        var y = layer.Forward(input, training: false);
        Assert.Equal([2, 24], y.Shape.ToArray());
        Assert.Equal(input.Span.ToArray(), y.Span.ToArray());
        GradientCheck.Check(layer, input, tolerance: 1e-3);
    }
}
