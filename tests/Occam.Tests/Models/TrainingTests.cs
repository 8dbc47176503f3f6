using Occam.Layers;
using Occam.Losses;
using Occam.Models;
using Occam.Optimizers;
using Occam.Tests.Support;

namespace Occam.Tests.Models;

/// <summary>End-to-end checks that forward, backward, loss and optimiser fit together.</summary>
public class TrainingTests
{
    private const int Examples = 16;
    private const int Classes = 5;

    [Fact]
    public void MlpOverfitsATinyBatch()
    {
        var model = Sequential.Create([12], 1, new Dense(32), new ReLU(), new Dropout(0f, 2), new Dense(Classes));
        var inputs = TestData.Uniform(3, Examples, 12);
        var labels = TestData.Labels(4, Examples, Classes);

        var (steps, loss) = TinyTraining.TrainUntil(model, new Adam(model.Parameters, 1e-2f), inputs, labels, 0.05f, maxSteps: 300);

        Assert.True(loss < 0.05f, $"MLP loss still {loss} after {steps} steps");
    }

    [Fact]
    public void CnnOverfitsATinyBatch()
    {
        var model = SmallCnn(seed: 1, dropout: 0f);
        var inputs = TestData.Uniform(3, Examples, 1, 8, 8);
        var labels = TestData.Labels(4, Examples, Classes);

        var (steps, loss) = TinyTraining.TrainUntil(model, new Adam(model.Parameters, 1e-2f), inputs, labels, 0.05f, maxSteps: 300);

        Assert.True(loss < 0.05f, $"CNN loss still {loss} after {steps} steps");
    }

    [Fact]
    public void TwoSeededRunsGiveBitIdenticalWeights()
    {
        static int[] Run()
        {
            var model = SmallCnn(seed: 7, dropout: 0.25f);
            var optimizer = new AdamW(model.Parameters, 1e-2f);
            var loss = new SoftmaxCrossEntropy();
            var inputs = TestData.Uniform(3, Examples, 1, 8, 8);
            var labels = TestData.Labels(4, Examples, Classes);
            for (int step = 0; step < 5; step++)
            {
                TinyTraining.Step(model, optimizer, loss, inputs, labels);
            }

            return [.. model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits)];
        }

        var first = Run();
        Assert.Equal(first, Run());
        Assert.NotEqual([.. SmallCnn(seed: 7, dropout: 0.25f).Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits)], first);
    }

    private static Sequential SmallCnn(int seed, float dropout) => Sequential.Create([1, 8, 8], seed,
        new Conv2D(4, 3), new ReLU(), new MaxPool2D(), new Conv2D(8, 3), new ReLU(), new Flatten(),
        new Dropout(dropout, seed), new Dense(Classes));
}
