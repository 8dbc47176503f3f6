using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Tensors;

namespace Occam.Tests.Models;

public class SequentialTests
{
    [Fact]
    public void CreateNamesParametersByLayerIndexAndMarksPrunableOnes()
    {
        var model = Sequential.Create([1, 8, 8], 3,
            new Conv2D(4, 3), new ReLU(), new MaxPool2D(), new Conv2D(6, 3, Padding.Valid, useBias: false),
            new Tanh(), new Flatten(), new Dropout(0.1f, 1), new Dense(10), new GELU(), new Dense(3));

        Assert.Equal(["0.weight", "0.bias", "3.weight", "7.weight", "7.bias", "9.weight", "9.bias"],
            model.Parameters.Select(p => p.Name));
        Assert.Equal([true, false, true, true, false, true, false], model.Parameters.Select(p => p.IsPrunable));
        Assert.Equal([6, 4, 3, 3], model.Parameters[2].Value.Shape.ToArray());
        Assert.Equal([10, 6 * 2 * 2], model.Parameters[3].Value.Shape.ToArray());
        Assert.Equal([3], model.OutputShape.ToArray());
        Assert.Equal(64L * 4 * 9 + 4L * 6 * 4 * 9 + 24 * 10 + 10 * 3, model.MultiplyAccumulates(liveOnly: false));
    }

    [Fact]
    public void TheSameSeedGivesTheSameInitialWeights()
    {
        static float[] Weights(int seed) => [.. Sequential.Create([2, 6, 6], seed, new Conv2D(3, 3), new Flatten(), new Dense(4))
            .Parameters.SelectMany(p => p.Value.Span.ToArray())];

        Assert.Equal(Weights(5), Weights(5));
        Assert.NotEqual(Weights(5), Weights(6));
    }

    [Theory]
    [InlineData(KernelPath.Dense)]
    [InlineData(KernelPath.Sparse)]
    public void ADenseFollowedByAReluComputesWhatTheTwoLayersComputeApart(KernelPath path)
    {
        // The model fuses the ReLU into the first Dense; the same layers built and run one by one are not fused.
        var model = Sequential.Create([12], 4, new Dense(9) { KernelPath = path }, new ReLU(), new Dense(3) { KernelPath = path });
        var random = new Random(4);
        var first = new Dense(9) { KernelPath = path };
        var relu = new ReLU();
        var last = new Dense(3) { KernelPath = path };
        var shape = first.Build([12], random);
        shape = relu.Build(shape, random);
        last.Build(shape, random);
        Layer[] apart = [first, relu, last];
        new PruningMasks(model.Parameters).PruneToDensity(new MagnitudeCriterion(), 0.5);
        new PruningMasks(apart.SelectMany(l => l.Parameters).ToList()).PruneToDensity(new MagnitudeCriterion(), 0.5);

        var input = new Tensor(5, 12);
        var values = new Random(8);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = (float)(values.NextDouble() * 2 - 1);
        }

        var fused = model.Forward(input, training: true).Span.ToArray();
        var x = input;
        foreach (var layer in apart)
        {
            x = layer.Forward(x, training: true);
        }

        Assert.Equal(x.Span.ToArray(), fused);
        Assert.Contains(relu.Forward(first.Forward(input, training: true), training: true).Span.ToArray(), v => v == 0f);

        var outputGrad = new Tensor(5, 3);
        outputGrad.Span.Fill(1f);
        model.Backward(outputGrad);
        var g = outputGrad;
        for (int i = apart.Length - 1; i >= 0; i--)
        {
            g = apart[i].Backward(g);
        }

        Assert.Equal(apart.SelectMany(l => l.Parameters).SelectMany(p => p.Grad.Span.ToArray()), model.Parameters.SelectMany(p => p.Grad.Span.ToArray()));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(70)]
    public void InferenceThroughASparseLayerAndItsHeadMatchesTheLayersRunOneByOne(int batch)
    {
        var model = Sequential.Create([30], 2, new Dense(40) { KernelPath = KernelPath.Sparse }, new ReLU(), new Dropout(0.3f, 1), new Dense(6));
        new PruningMasks(model.Parameters).PruneToDensity(new MagnitudeCriterion(), 0.3);
        var input = new Tensor(batch, 30);
        var values = new Random(3);
        for (int i = 0; i < input.Length; i++)
        {
            input.Span[i] = (float)(values.NextDouble() * 2 - 1);
        }

        var fused = model.Forward(input, training: false).Span.ToArray();
        var x = input;
        foreach (var layer in model.Layers)
        {
            x = layer.Forward(x, training: false);
        }

        var apart = x.Span.ToArray();
        for (int i = 0; i < apart.Length; i++)
        {
            Assert.True(MathF.Abs(apart[i] - fused[i]) <= 1e-5f * (1 + MathF.Abs(apart[i])), $"output {i}: {apart[i]} apart, {fused[i]} fused");
        }

        // Training passes run the layers one by one (dropout active, every layer's state kept for backward).
        var trained = model.Forward(input, training: true).Span.ToArray();
        Assert.NotEqual(fused, trained);
    }
}
