using Occam.Layers;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;

namespace Occam.Tests.Pruning;

public class MaskPersistenceTests
{
    [Fact]
    public void PrunedWeightsAndAdamMomentsStayExactlyZero()
    {
        var model = Sequential.Create([12], 1, new Dense(16), new ReLU(), new Dense(3));
        var adam = new Adam(model.Parameters, learningRate: 1e-2f);
        var holdout = new ScriptedHoldout(model.Parameters, new ConstantRateSchedule(0.5), optimizer: adam, criterion: new MagnitudeCriterion());
        var pruner = holdout.Pruner;
        var random = new Random(9);

        void Step()
        {
            foreach (var p in model.Parameters)
            {
                Initialize.Uniform(p.Grad.Span, 1f, random);
            }

            pruner.Step();
        }

        for (int i = 0; i < 20; i++)
        {
            Step();
        }

        holdout.End(1.0);
        Assert.Equal(0.5, pruner.Masks.Density, 2);
        for (int i = 0; i < 300; i++)
        {
            Step();
        }

        int checkedWeights = 0;
        foreach (var p in pruner.Masks.Parameters)
        {
            var mask = p.Mask!.Span;
            var w = p.Value.Span;
            var state = adam.State(p);
            for (int i = 0; i < w.Length; i++)
            {
                if (mask[i] == 0f)
                {
                    checkedWeights++;
                    Assert.Equal(0f, w[i]);
                    Assert.Equal(0f, state[0].Span[i]);
                    Assert.Equal(0f, state[1].Span[i]);
                }
                else
                {
                    Assert.NotEqual(0f, w[i]);
                }
            }
        }

        Assert.Equal(pruner.Masks.TotalPrunable - pruner.Masks.TotalAlive, checkedWeights);
        foreach (var bias in model.Parameters.Where(p => !p.IsPrunable))
        {
            Assert.Null(bias.Mask);
            Assert.All(bias.Value.Span.ToArray(), v => Assert.NotEqual(0f, v));
        }
    }

    [Fact]
    public void PrunerKeepsTheBestSnapshotAndRewinds()
    {
        var model = Sequential.Create([4], 1, new Dense(5), new ReLU(), new Dense(2));
        var weight = ((Dense)model.Layers[0]).Weight;
        var adam = new Adam(model.Parameters);
        var holdout = new ScriptedHoldout(model.Parameters, new IterativeMagnitudeSchedule(pruneFraction: 0.5, roundEpochs: 2, rewindEpoch: 0),
            totalEpochs: 6, optimizer: adam);
        var pruner = holdout.Pruner;
        float[] initial = weight.Value.Span.ToArray();

        weight.Value.Span.Fill(3f);
        holdout.End(0.9);
        Assert.Equal(1, pruner.BestEpoch);
        Assert.Equal(1.0, pruner.Masks.Density);

        // End of round one: prune half by current magnitude, then rewind survivors to the initial weights.
        float[] trained = [.. Enumerable.Range(0, 20).Select(i => (float)(i + 1))];
        trained.CopyTo(weight.Value.Span);
        weight.Grad.Span.Fill(1f);
        pruner.Step();
        trained.CopyTo(weight.Value.Span);
        Assert.Equal(1, adam.StepCount);
        Assert.True(holdout.End(0.5).Pruned);
        Assert.Equal(2, pruner.BestEpoch);

        // The rewind restarts the optimiser: no steps, no moments.
        Assert.Equal(0, adam.StepCount);
        Assert.All(adam.State(weight), s => Assert.All(s.Span.ToArray(), v => Assert.Equal(0f, v)));
        var mask = weight.Mask!.Span;
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(i < 10 ? 0f : 1f, mask[i]);
            Assert.Equal(i < 10 ? 0f : initial[i], weight.Value.Span[i]);
        }

        holdout.End(0.7);
        pruner.RestoreBest();
        Assert.Equal(trained, weight.Value.Span.ToArray());
        Assert.Equal(1.0, pruner.Masks.Density);
    }
}
