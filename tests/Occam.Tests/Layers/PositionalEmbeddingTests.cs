using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Layers;

public class PositionalEmbeddingTests
{
    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var layer = new PositionalEmbedding(6);
        layer.Build([6, 4], new Random(1));
        var input = new Tensor(3, 6, 4);
        Initialize.Uniform(input.Span, 1f, new Random(2));
        GradientCheck.Check(layer, input, samples: 100);
    }

    [Fact]
    public void AddsOnePositionRowToEverySequence()
    {
        var layer = new PositionalEmbedding(4);
        layer.Build([3, 2], new Random(1));
        var p = Assert.Single(layer.Parameters);
        Assert.Equal("weight", p.Name);
        Assert.False(p.IsPrunable);
        Assert.Equal([4, 2], p.Value.Shape.ToArray());
        float[] table = [1, 2, 3, 4, 5, 6, 7, 8];
        table.CopyTo(p.Value.Span);
        var input = new Tensor(2, 3, 2);
        input.Span.Fill(10f);
        var y = layer.Forward(input, training: false);
        Assert.Equal([11f, 12f, 13f, 14f, 15f, 16f, 11f, 12f, 13f, 14f, 15f, 16f], y.Span.ToArray());

        // Sequences shorter than the context use the first rows; the unused row gets a zero gradient.
        var dy = new Tensor(2, 3, 2);
        dy.Span.Fill(1f);
        layer.Backward(dy);
        Assert.Equal([2f, 2f, 2f, 2f, 2f, 2f, 0f, 0f], p.Grad.Span.ToArray());
    }

    [Fact]
    public void RejectsSequencesLongerThanTheContext()
    {
        var layer = new PositionalEmbedding(4);
        Assert.Throws<ArgumentException>(() => layer.Build([5, 2], new Random(1)));
    }
}
