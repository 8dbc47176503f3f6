using Occam.Layers;
using Occam.Models;

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
}
