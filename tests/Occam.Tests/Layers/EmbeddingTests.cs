using Occam.Layers;
using Occam.Tensors;
using Occam.Tests.Support;

namespace Occam.Tests.Layers;

public class EmbeddingTests
{
    private static Tensor Ids(params float[] ids) => Tensor.From(ids, 2, ids.Length / 2);

    [Fact]
    public void ForwardLooksUpRows()
    {
        var layer = new Embedding(5, 3);
        layer.Build([3], new Random(1));
        Assert.Equal([3, 3], layer.OutputShape.ToArray());
        var table = layer.Weight.Value.Span;
        var y = layer.Forward(Ids(4, 0, 4, 2, 1, 3), training: false);
        Assert.Equal([2, 3, 3], y.Shape.ToArray());
        int[] ids = [4, 0, 4, 2, 1, 3];
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.Equal(table.Slice(ids[i] * 3, 3).ToArray(), y.Span.Slice(i * 3, 3).ToArray());
        }
    }

    [Fact]
    public void WeightIsNotPrunableAndInitialisedSmall()
    {
        var layer = new Embedding(50, 20);
        layer.Build([4], new Random(1));
        var p = Assert.Single(layer.Parameters);
        Assert.Equal("weight", p.Name);
        Assert.False(p.IsPrunable);
        Assert.Equal([50, 20], p.Value.Shape.ToArray());
        double sumSquares = 0;
        foreach (float v in p.Value.Span)
        {
            sumSquares += v * v;
        }

        double std = Math.Sqrt(sumSquares / p.Length);
        Assert.InRange(std, 0.018, 0.022);
    }

    [Fact]
    public void WeightGradientMatchesFiniteDifferences()
    {
        var layer = new Embedding(6, 4);
        layer.Build([5], new Random(1));
        // Repeated ids exercise the scatter-add; id 5 is unused, so its rows must get a zero gradient.
        GradientCheck.Check(layer, Ids(0, 1, 1, 3, 4, 2, 1, 0, 3, 3), checkInput: false, samples: 1000);
    }

    [Fact]
    public void BackwardOverwritesGradientAndReturnsZeroInputGradient()
    {
        var layer = new Embedding(4, 2);
        layer.Build([2], new Random(1));
        var input = Ids(1, 1, 3, 1);
        layer.Forward(input, training: true);
        var dy = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 2, 2);
        var inputGrad = layer.Backward(dy);
        layer.Forward(input, training: true);
        inputGrad = layer.Backward(dy);
        Assert.Equal([0f, 0f, 0f, 0f], inputGrad.Span.ToArray());
        Assert.Equal([2, 2], inputGrad.Shape.ToArray());
        // id 1 appears at positions 0, 1 and 3: (1+3+7, 2+4+8); id 3 at position 2: (5, 6).
        Assert.Equal([0f, 0f, 11f, 14f, 0f, 0f, 5f, 6f], layer.Weight.Grad.Span.ToArray());
    }

    [Theory]
    [InlineData(4f)]
    [InlineData(-1f)]
    [InlineData(1.5f)]
    public void RejectsIdsOutsideTheVocabulary(float id)
    {
        var layer = new Embedding(4, 2);
        layer.Build([2], new Random(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(Ids(0, id, 1, 2), training: false));
    }
}
