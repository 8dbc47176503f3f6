using System.Diagnostics;
using Occam.Layers;
using Occam.Losses;
using Occam.Models;
using Occam.Optimizers;
using Occam.Tensors;

namespace Occam.Benchmarks;

/// <summary>
/// Times one training epoch of the dense reference model (784 → 1024 ReLU → dropout 0.2 → 10, Adam 1e-3, batch 32)
/// over synthetic examples: the same work as <c>bench/peers/torch_dense_epoch.py</c> does in PyTorch, so the two
/// can be compared side by side. Only the training steps are timed (shuffling, batch copy, forward, loss, backward, Adam).
/// </summary>
public static class EpochBenchmark
{
    /// <summary>Examples in one Fashion-MNIST training epoch.</summary>
    public const int DefaultExamples = 60_000;

    /// <summary>Builds the reference model with <paramref name="seed"/>.</summary>
    public static Sequential CreateReferenceModel(int seed) =>
        Sequential.Create([784], seed, new Dense(1024), new ReLU(), new Dropout(0.2f, seed + 1), new Dense(10));

    /// <summary>Returns the wall-clock seconds of one epoch over <paramref name="examples"/> synthetic examples.</summary>
    public static double Run(int examples = DefaultExamples, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(examples, 1);
        const int batchSize = 32;
        var random = new Random(seed);
        var features = new Tensor(examples, 784);
        Initialize.Uniform(features.Span, 0.5f, random);
        var labels = new int[examples];
        for (int i = 0; i < examples; i++)
        {
            labels[i] = random.Next(10);
        }

        var model = CreateReferenceModel(seed);
        model.ComputeInputGradient = false;
        var optimizer = new Adam(model.Parameters);
        var loss = new SoftmaxCrossEntropy();
        var batch = new Tensor(batchSize, 784);
        var batchLabels = new int[batchSize];
        var order = new int[examples];
        for (int i = 0; i < examples; i++)
        {
            order[i] = i;
        }

        var clock = Stopwatch.StartNew();
        random.Shuffle(order);
        for (int start = 0; start < examples; start += batchSize)
        {
            int n = Math.Min(batchSize, examples - start);
            batch.SetBatch(n);
            for (int r = 0; r < n; r++)
            {
                int source = order[start + r];
                features.Span.Slice(source * 784, 784).CopyTo(batch.Span.Slice(r * 784, 784));
                batchLabels[r] = labels[source];
            }

            var logits = model.Forward(batch, training: true);
            loss.Forward(logits, batchLabels.AsSpan(0, n));
            model.Backward(loss.Backward());
            optimizer.Step();
        }

        return clock.Elapsed.TotalSeconds;
    }
}
