using Occam.Layers;
using Occam.Models;
using Occam.Pruning;
using Occam.Tensors;

namespace Occam.Tests.Pruning;

public class CriterionTests
{
    private static Sequential Model(int seed = 1) => Sequential.Create([10], seed, new Dense(6), new ReLU(), new Dense(4));

    private static int[] Dead(Parameter p)
    {
        var dead = new List<int>();
        var mask = p.Mask!.Span;
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0f)
            {
                dead.Add(i);
            }
        }

        return [.. dead];
    }

    [Fact]
    public void MagnitudePrunesExactlyRoundedFractionPerTensorWithTiesByIndex()
    {
        var model = Model();
        var weight = ((Dense)model.Layers[0]).Weight;
        // Magnitudes repeat every 7 entries with both signs, so many weights tie.
        var w = weight.Value.Span;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (i % 7) * (i % 2 == 0 ? 0.1f : -0.1f);
        }

        float[] original = w.ToArray();
        float[] bias = ((Dense)model.Layers[0]).Bias!.Value.Span.ToArray();
        var masks = new PruningMasks(model.Parameters);
        Assert.Equal(2, masks.Parameters.Count);

        masks.Prune(new MagnitudeCriterion(), 0.25);
        int[] expected = [.. Enumerable.Range(0, 60).OrderBy(i => MathF.Abs(original[i])).ThenBy(i => i).Take(15).Order()];
        Assert.Equal(expected, Dead(weight));
        Assert.Equal(60 - 15, masks.AliveCount(0));
        Assert.Equal(24 - 6, masks.AliveCount(1));
        foreach (int i in expected)
        {
            Assert.Equal(0f, w[i]);
        }

        // 0.5 × 45 = 22.5 rounds away from zero to 23, chosen among the survivors only.
        masks.Prune(new MagnitudeCriterion(), 0.5);
        Assert.Equal(45 - 23, masks.AliveCount(0));
        int[] expectedAfter = [.. Enumerable.Range(0, 60).OrderBy(i => MathF.Abs(original[i])).ThenBy(i => i).Take(15 + 23).Order()];
        Assert.Equal(expectedAfter, Dead(weight));
        Assert.Equal(bias, ((Dense)model.Layers[0]).Bias!.Value.Span.ToArray());
        Assert.Null(((Dense)model.Layers[0]).Bias!.Mask);
    }

    [Fact]
    public void CountToPruneRoundsHalvesAwayFromZero()
    {
        Assert.Equal(23, PruningMasks.CountToPrune(0.5, 45));
        Assert.Equal(0, PruningMasks.CountToPrune(0.04, 10));
        Assert.Equal(1, PruningMasks.CountToPrune(0.05, 10));
        Assert.Equal(10, PruningMasks.CountToPrune(1.5, 10));
        Assert.Equal(0, PruningMasks.CountToPrune(double.NaN, 10));
    }

    [Fact]
    public void GlobalMagnitudeUsesOneThreshold()
    {
        var model = Model();
        var masks = new PruningMasks(model.Parameters);
        masks.Prune(new GlobalMagnitudeCriterion(), 0.3);
        Assert.Equal(84 - 25, masks.TotalAlive);
        float largestPruned = 0, smallestAlive = float.MaxValue;
        var biasBefore = model.Parameters.Where(p => !p.IsPrunable).Select(p => p.Value.Span.ToArray()).ToList();
        foreach (var p in masks.Parameters)
        {
            var mask = p.Mask!.Span;
            var w = p.Value.Span;
            for (int i = 0; i < w.Length; i++)
            {
                if (mask[i] == 0f)
                {
                    Assert.Equal(0f, w[i]);
                }
                else
                {
                    smallestAlive = Math.Min(smallestAlive, MathF.Abs(w[i]));
                }
            }
        }

        var fresh = Model();
        foreach (var (p, q) in masks.Parameters.Zip(fresh.Parameters.Where(x => x.IsPrunable)))
        {
            var mask = p.Mask!.Span;
            for (int i = 0; i < mask.Length; i++)
            {
                if (mask[i] == 0f)
                {
                    largestPruned = Math.Max(largestPruned, MathF.Abs(q.Value.Span[i]));
                }
            }
        }

        Assert.True(largestPruned <= smallestAlive);
        Assert.Equal(biasBefore, model.Parameters.Where(p => !p.IsPrunable).Select(p => p.Value.Span.ToArray()).ToList());
    }

    [Fact]
    public void StructuredRemovesWholeRowsWithTheSmallestNorm()
    {
        var kernel = new Parameter("conv.weight", isPrunable: true, 8, 3, 2, 2);
        Initialize.Uniform(kernel.Value.Span, 1f, new Random(3));
        var norms = Enumerable.Range(0, 8).Select(r => Math.Sqrt(kernel.Value.Span.Slice(r * 12, 12).ToArray().Sum(v => (double)v * v))).ToArray();
        var masks = new PruningMasks([kernel]);

        masks.Prune(new StructuredCriterion(), 0.25);
        int[] expectedRows = [.. Enumerable.Range(0, 8).OrderBy(r => norms[r]).Take(2).Order()];
        AssertRows(kernel, expectedRows);

        // 0.5 × 6 alive rows = 3 more.
        masks.Prune(new StructuredCriterion(), 0.5);
        Assert.Equal(3 * 12, masks.TotalAlive);
        AssertRows(kernel, [.. Enumerable.Range(0, 8).OrderBy(r => norms[r]).Take(5).Order()]);
    }

    private static void AssertRows(Parameter kernel, int[] deadRows)
    {
        var mask = kernel.Mask!.Span;
        for (int r = 0; r < 8; r++)
        {
            float expected = deadRows.Contains(r) ? 0f : 1f;
            for (int i = 0; i < 12; i++)
            {
                Assert.Equal(expected, mask[r * 12 + i]);
                if (expected == 0f)
                {
                    Assert.Equal(0f, kernel.Value.Span[r * 12 + i]);
                }
            }
        }
    }

    [Fact]
    public void StructuredPrunesDenseNeurons()
    {
        var model = Model();
        var masks = new PruningMasks(model.Parameters);
        masks.Prune(new StructuredCriterion(), 0.5);
        // First layer: 3 of 6 rows of 10; second: 2 of 4 rows of 6.
        Assert.Equal(30, masks.AliveCount(0));
        Assert.Equal(12, masks.AliveCount(1));
    }

    [Fact]
    public void RandomPrunesExactCountsDeterministically()
    {
        var a = Model();
        var b = Model();
        var masksA = new PruningMasks(a.Parameters);
        var masksB = new PruningMasks(b.Parameters);
        masksA.Prune(new RandomCriterion(5), 0.4);
        masksB.Prune(new RandomCriterion(5), 0.4);
        Assert.Equal(60 - 24, masksA.AliveCount(0));
        Assert.Equal(24 - 10, masksA.AliveCount(1));
        Assert.Equal(Dead(masksA.Parameters[0]), Dead(masksB.Parameters[0]));
        var fresh = Model();
        int[] smallest = [.. Enumerable.Range(0, 60).OrderBy(i => MathF.Abs(fresh.Parameters[0].Value.Span[i])).Take(24).Order()];
        Assert.NotEqual(smallest, Dead(masksA.Parameters[0]));
        masksA.Prune(new RandomCriterion(6), 0.5);
        Assert.Equal(18, masksA.AliveCount(0));
    }

    [Fact]
    public void PruneToDensityAndReset()
    {
        var model = Model();
        var masks = new PruningMasks(model.Parameters);
        masks.PruneToDensity(new MagnitudeCriterion(), 0.25);
        Assert.Equal(15 + 6, masks.TotalAlive);
        masks.PruneToDensity(new MagnitudeCriterion(), 0.5);
        Assert.Equal(21, masks.TotalAlive);
        masks.Reset();
        Assert.Equal(84, masks.TotalAlive);
    }
}
