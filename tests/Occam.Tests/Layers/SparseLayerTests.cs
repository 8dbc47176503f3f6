using Occam.Layers;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;
using Occam.Tensors;

namespace Occam.Tests.Layers;

/// <summary>The sparse and dense kernels of Dense and Conv2D agree on the forward pass and every gradient.</summary>
public class SparseLayerTests
{
    public static TheoryData<double> Densities => [1.0, 0.5, 0.1, 0.01, 0.0];

    /// <summary>Sets a random mask of about <paramref name="density"/> with an empty first row and last column, and zeroes the pruned weights.</summary>
    internal static void MaskRandomly(Parameter weight, int rows, int columns, double density, int seed)
    {
        var random = new Random(seed);
        var mask = new Tensor(weight.Length);
        var m = mask.Span;
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = random.NextDouble() < density ? 1f : 0f;
        }

        m[..columns].Clear();
        for (int r = 0; r < rows; r++)
        {
            m[r * columns + columns - 1] = 0f;
        }

        weight.Mask = mask;
        var w = weight.Value.Span;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] *= m[i];
        }
    }

    internal static Tensor RandomTensor(int seed, params int[] shape)
    {
        var t = new Tensor(shape);
        Initialize.Uniform(t.Span, 1f, new Random(seed));
        return t;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + MathF.Abs(expected[i])), $"{what}[{i}]: dense {expected[i]}, sparse {actual[i]}");
        }
    }

    /// <summary>Dense gradient restricted to the live weights (the sparse path leaves pruned entries at zero).</summary>
    private static float[] LiveOnly(Parameter p)
    {
        var g = p.Grad.Span.ToArray();
        var mask = p.Mask!.Span;
        for (int i = 0; i < g.Length; i++)
        {
            g[i] *= mask[i];
        }
        return g;
    }

    [Theory]
    [MemberData(nameof(Densities))]
    public void DensePathsAgree(double density)
    {
        foreach (int batch in new[] { 3, 20, 32, 70 })
        {
            var layers = new Dense[2];
            for (int i = 0; i < 2; i++)
            {
                layers[i] = new Dense(24) { KernelPath = i == 0 ? KernelPath.Dense : KernelPath.Sparse };
                layers[i].Build([40], new Random(1));
                MaskRandomly(layers[i].Weight, 24, 40, density, seed: 2);
            }

            var input = RandomTensor(3, batch, 40);
            var outputGrad = RandomTensor(4, batch, 24);
            var y0 = layers[0].Forward(input, training: true).Span.ToArray();
            var y1 = layers[1].Forward(input, training: true).Span.ToArray();
            Assert.False(layers[0].RanSparse);
            Assert.True(layers[1].RanSparse);
            AssertClose(y0, y1, "output");
            var dx0 = layers[0].Backward(outputGrad).Span.ToArray();
            var dx1 = layers[1].Backward(outputGrad).Span.ToArray();
            AssertClose(dx0, dx1, "input gradient");
            AssertClose(LiveOnly(layers[0].Weight), layers[1].Weight.Grad.Span, "weight gradient");
            AssertClose(layers[0].Bias!.Grad.Span, layers[1].Bias!.Grad.Span, "bias gradient");
            var inference = layers[1].Forward(input, training: false).Span.ToArray();
            AssertClose(y0, inference, "inference output");
        }
    }

    [Theory]
    [MemberData(nameof(Densities))]
    public void ConvolutionPathsAgree(double density)
    {
        foreach (bool training in new[] { true, false })
        {
            var layers = new Conv2D[2];
            for (int i = 0; i < 2; i++)
            {
                layers[i] = new Conv2D(5, 3) { KernelPath = i == 0 ? KernelPath.Dense : KernelPath.Sparse };
                layers[i].Build([3, 6, 7], new Random(1));
                MaskRandomly(layers[i].Weight, 5, 27, density, seed: 5);
            }

            var input = RandomTensor(6, 2, 3, 6, 7);
            var outputGrad = RandomTensor(7, 2, 5, 6, 7);
            var y0 = layers[0].Forward(input, training).Span.ToArray();
            var y1 = layers[1].Forward(input, training).Span.ToArray();
            Assert.True(layers[1].RanSparse);
            AssertClose(y0, y1, "output");
            var dx0 = layers[0].Backward(outputGrad).Span.ToArray();
            var dx1 = layers[1].Backward(outputGrad).Span.ToArray();
            AssertClose(dx0, dx1, "input gradient");
            AssertClose(LiveOnly(layers[0].Weight), layers[1].Weight.Grad.Span, "weight gradient");
            AssertClose(layers[0].Bias!.Grad.Span, layers[1].Bias!.Grad.Span, "bias gradient");
        }
    }

    /// <summary>
    /// A pruned MLP gives the same outputs on the sparse kernels (with a narrow layer fused into the one before it as a
    /// head) as on the dense ones, including where the narrow layer is a hidden layer followed by its own ReLU.
    /// </summary>
    [Theory]
    [InlineData(new[] { 16 })]
    [InlineData(new[] { 16, 12 })]
    [InlineData(new[] { 64, 12, 16 })]
    public void APrunedMlpComputesTheSameOnSparseAndDenseKernels(int[] hidden)
    {
        var layers = new List<Layer>();
        foreach (int units in hidden)
        {
            layers.AddRange([new Dense(units), new ReLU(), new Dropout(0.2f, seed: 1)]);
        }

        layers.Add(new Dense(10));
        var model = Sequential.Create([64], seed: 4, [.. layers]);
        new PruningMasks(model.Parameters).Prune(new MagnitudeCriterion(), 0.5);
        var input = RandomTensor(5, 3, 64);
        var dense = ForwardPinned(model, input, (0, 0));
        var sparse = ForwardPinned(model, input, (1.01, 1.01));
        Assert.True(model.Layers.OfType<Dense>().First().RanSparse, "the pinned crossovers put the first layer on the sparse kernels");
        AssertClose(dense, sparse, "output");
    }

    private static float[] ForwardPinned(Sequential model, Tensor input, (double Training, double Inference) crossovers)
    {
        foreach (var dense in model.Layers.OfType<Dense>())
        {
            dense.Kernels.Pinned = crossovers;
        }

        return model.Forward(input, training: false).Span.ToArray();
    }

    [Fact]
    public void AutomaticPathFollowsPruning()
    {
        var model = Sequential.Create([200], 1, new Dense(100), new ReLU(), new Dense(3));
        var first = (Dense)model.Layers[0];
        first.Kernels.Pinned = (0.3, 0.2);
        var input = RandomTensor(2, 4, 200);
        model.Forward(input, training: false);
        Assert.False(first.RanSparse);

        var masks = new PruningMasks(model.Parameters);
        masks.PruneToDensity(new MagnitudeCriterion(), 0.1);
        var before = model.Forward(input, training: false).Span.ToArray();
        Assert.True(first.RanSparse);

        masks.Reset();
        model.Forward(input, training: false);
        Assert.False(first.RanSparse);

        first.KernelPath = KernelPath.Dense;
        masks.PruneToDensity(new MagnitudeCriterion(), 0.1);
        AssertClose(before, model.Forward(input, training: false).Span, "dense kernels on the pruned model");
    }

    [Fact]
    public void BetweenTheCrossoversTrainingRunsSparseAndInferenceDense()
    {
        var layers = new Dense[2];
        for (int i = 0; i < 2; i++)
        {
            layers[i] = new Dense(100) { KernelPath = i == 0 ? KernelPath.Dense : KernelPath.Automatic };
            layers[i].Build([200], new Random(1));
            layers[i].Kernels.Pinned = (0.5, 0.3);
            MaskRandomly(layers[i].Weight, 100, 200, 0.4, seed: 3);
        }

        var input = RandomTensor(4, 8, 200);
        var outputGrad = RandomTensor(5, 8, 100);
        Assert.True(layers[1].Forward(input, training: true).Span.Length > 0 && layers[1].RanSparse);
        var y0 = layers[0].Forward(input, training: false).Span.ToArray();
        var y1 = layers[1].Forward(input, training: false).Span.ToArray();
        Assert.False(layers[1].RanSparse);
        AssertClose(y0, y1, "inference output");
        // A backward pass after the dense inference forward still fills the compact gradients.
        var dx0 = layers[0].Backward(outputGrad).Span.ToArray();
        var dx1 = layers[1].Backward(outputGrad).Span.ToArray();
        AssertClose(dx0, dx1, "input gradient");
        AssertClose(LiveOnly(layers[0].Weight), layers[1].Weight.Grad.Span, "weight gradient");
        var compact = new float[layers[1].Weight.Sparse!.Pattern.NonzeroCount];
        layers[1].Weight.Sparse!.Pattern.Gather(LiveOnly(layers[0].Weight), compact);
        AssertClose(compact, layers[1].Weight.Sparse!.Grads, "compact gradient");
    }

    [Fact]
    public void ASavedPrunedModelRunsSparseAfterLoading()
    {
        var model = Sequential.Create([200], 1, new Dense(100), new ReLU(), new Dense(3));
        new PruningMasks(model.Parameters).PruneToDensity(new MagnitudeCriterion(), 0.1);
        var input = RandomTensor(2, 5, 200);
        var expected = model.Forward(input, training: false).Span.ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"occam-sparse-{Guid.NewGuid():N}.safetensors");
        try
        {
            Occam.Serialization.ModelWeights.Save(path, model);
            var loaded = Sequential.Create([200], 9, new Dense(100), new ReLU(), new Dense(3));
            Occam.Serialization.ModelWeights.Load(path, loaded);
            ((Dense)loaded.Layers[0]).Kernels.Pinned = (0.3, 0.2);
            var actual = loaded.Forward(input, training: false).Span.ToArray();
            Assert.True(((Dense)loaded.Layers[0]).RanSparse);
            AssertClose(expected, actual, "loaded model output");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CompactUpdatesReachTheDenseValuesWhenRead()
    {
        var layer = new Dense(24) { KernelPath = KernelPath.Sparse };
        layer.Build([40], new Random(1));
        MaskRandomly(layer.Weight, 24, 40, 0.3, seed: 2);
        var adam = new Adam([layer.Weight], 0.01f);
        void Step()
        {
            layer.Forward(RandomTensor(3, 8, 40), training: true);
            layer.Backward(RandomTensor(4, 8, 24));
            adam.Step();
        }

        float[] Live(ReadOnlySpan<float> dense)
        {
            var live = new float[layer.Weight.Sparse!.Pattern.NonzeroCount];
            layer.Weight.Sparse.Pattern.Gather(dense, live);
            return live;
        }

        Step();
        var sparse = layer.Weight.Sparse!;
        Assert.True(sparse.DenseStale);
        var updated = sparse.Values.ToArray();
        Assert.Equal(updated, Live(layer.Weight.Value.Span));
        Assert.False(sparse.DenseStale);

        // Dropping the copy or editing the mask writes the pending updates back first.
        Step();
        updated = sparse.Values.ToArray();
        layer.Weight.MarkChanged();
        Assert.False(sparse.DenseStale);
        layer.Forward(RandomTensor(5, 8, 40), training: true);
        Assert.NotSame(sparse, layer.Weight.Sparse);
        Assert.Equal(updated, layer.Weight.Sparse!.Values);
        Step();
        updated = layer.Weight.Sparse.Values.ToArray();
        var pattern = layer.Weight.Sparse.Pattern;
        layer.Weight.Sparse = null;
        var live = new float[pattern.NonzeroCount];
        pattern.Gather(layer.Weight.Value.Span, live);
        Assert.Equal(updated, live);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainingOnTheSparsePathMatchesDenseTraining(bool adam)
    {
        var runs = new List<float[]>();
        foreach (var path in new[] { KernelPath.Dense, KernelPath.Sparse })
        {
            var model = Sequential.Create([20], 3, new Dense(16) { KernelPath = path }, new ReLU(), new Dense(4) { KernelPath = path });
            model.ComputeInputGradient = false;
            var masks = new PruningMasks(model.Parameters);
            masks.PruneToDensity(new MagnitudeCriterion(), 0.2);
            Optimizer optimizer = adam ? new Adam(model.Parameters, 0.01f) : new Sgd(model.Parameters, 0.05f, momentum: 0.9f);
            masks.Attach(optimizer);
            var input = RandomTensor(8, 6, 20);
            for (int step = 0; step < 5; step++)
            {
                if (step == 3)
                {
                    // A pruning step mid-run: the sparse copies are rebuilt and the optimiser state follows.
                    masks.Prune(new MagnitudeCriterion(), 0.5);
                }

                var y = model.Forward(input, training: true);
                model.Backward(y);
                optimizer.Step();
                masks.Apply();
            }

            var weights = model.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
            var mask = masks.Parameters.SelectMany(p => p.Mask!.Span.ToArray()).ToArray();
            var prunable = masks.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
            for (int i = 0; i < mask.Length; i++)
            {
                if (mask[i] == 0f)
                {
                    Assert.Equal(0f, prunable[i]);
                }
            }

            runs.Add(weights);
        }

        AssertClose(runs[0], runs[1], "trained weights");
    }
}
