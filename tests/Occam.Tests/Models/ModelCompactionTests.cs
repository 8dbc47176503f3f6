using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Tensors;

namespace Occam.Tests.Models;

public class ModelCompactionTests
{
    private static void KillRows(Parameter weight, int rowLength, params int[] rows)
    {
        weight.Mask ??= Ones(weight.Length);
        foreach (int r in rows)
        {
            weight.Value.Span.Slice(r * rowLength, rowLength).Clear();
            weight.Mask.Span.Slice(r * rowLength, rowLength).Clear();
        }

        weight.MarkChanged();
    }

    private static Tensor Ones(int length)
    {
        var t = new Tensor(length);
        t.Span.Fill(1f);
        return t;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + MathF.Abs(expected[i])), $"[{i}] {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void DenseChainsLoseDeadNeuronsAndKeepTheirOutputs()
    {
        var model = Sequential.Create([20], 4, new Dense(30), new ReLU(), new Dropout(0.2f, 1), new Dense(25), new Tanh(), new Dense(5));
        var first = (Dense)model.Layers[0];
        var second = (Dense)model.Layers[3];
        // Dead neurons with positive, negative and zero biases: their constant outputs must be folded forward.
        KillRows(first.Weight, 20, 0, 3, 4, 17, 29);
        first.Bias!.Value.Span[3] = 0.7f;
        first.Bias.Value.Span[4] = -0.3f;
        KillRows(second.Weight, 30, 1, 2, 24);
        second.Bias!.Value.Span[2] = 0.4f;
        // A neuron nobody reads any more: column 7 of the second layer's weight.
        for (int o = 0; o < 25; o++)
        {
            second.Weight.Value.Span[o * 30 + 7] = 0f;
        }

        var input = new Tensor(6, 20);
        Initialize.Uniform(input.Span, 1f, new Random(3));
        var expected = model.Forward(input, training: false).Span.ToArray();

        var compact = ModelCompaction.Compact(model);
        Assert.Equal(30 - 6, ((Dense)compact.Layers[0]).OutFeatures);
        Assert.Equal(25 - 3, ((Dense)compact.Layers[3]).OutFeatures);
        Assert.Equal(22, ((Dense)compact.Layers[5]).InFeatures);
        AssertClose(expected, compact.Forward(input, training: false).Span);
        Assert.NotNull(((Dense)compact.Layers[0]).Weight.Mask);
    }

    [Fact]
    public void StructuredPruningThenCompactionShrinksTheModel()
    {
        var model = Sequential.Create([12], 2, new Dense(40), new ReLU(), new Dense(3));
        var masks = new PruningMasks(model.Parameters);
        masks.Prune(new StructuredCriterion(), 0.5);
        var input = new Tensor(4, 12);
        Initialize.Uniform(input.Span, 1f, new Random(5));
        var expected = model.Forward(input, training: false).Span.ToArray();
        var compact = ModelCompaction.Compact(model);
        Assert.True(((Dense)compact.Layers[0]).OutFeatures < 40);
        Assert.True(compact.Parameters.Sum(p => p.Length) < model.Parameters.Sum(p => p.Length));
        AssertClose(expected, compact.Forward(input, training: false).Span);
    }

    [Fact]
    public void ConvolutionsLoseChannelsThatOutputZero()
    {
        var model = Sequential.Create([2, 8, 8], 6, new Conv2D(6, 3), new ReLU(), new MaxPool2D(), new Conv2D(4, 3), new Flatten(), new Dense(3));
        var first = (Conv2D)model.Layers[0];
        KillRows(first.Weight, 18, 1, 4, 5);
        first.Bias!.Value.Span[1] = -0.5f;
        first.Bias.Value.Span[4] = 0f;
        first.Bias.Value.Span[5] = 0.5f;
        var input = new Tensor(3, 2, 8, 8);
        Initialize.Uniform(input.Span, 1f, new Random(7));
        var expected = model.Forward(input, training: false).Span.ToArray();

        var compact = ModelCompaction.Compact(model);
        // Channel 5 outputs relu(0.5) everywhere, which zero padding makes position-dependent: it stays.
        Assert.Equal(4, ((Conv2D)compact.Layers[0]).Filters);
        AssertClose(expected, compact.Forward(input, training: false).Span);
    }
}
