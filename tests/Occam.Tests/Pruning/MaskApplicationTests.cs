using Occam.Layers;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;
using Occam.Tensors;

namespace Occam.Tests.Pruning;

/// <summary>After each optimiser step pruned weights and their optimiser state are zero, whoever zeroes them.</summary>
public class MaskApplicationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PrunedEntriesStayZeroOnTheDensePath(bool adam)
    {
        var model = Sequential.Create([20], 3, new Dense(16) { KernelPath = KernelPath.Dense }, new ReLU(), new Dense(4) { KernelPath = KernelPath.Dense });
        var masks = new PruningMasks(model.Parameters);
        masks.PruneToDensity(new MagnitudeCriterion(), 0.6);
        Optimizer optimizer = adam ? new Adam(model.Parameters, 0.01f) : new Sgd(model.Parameters, 0.05f, momentum: 0.9f);
        masks.Attach(optimizer);
        Assert.Equal(adam, optimizer.MasksPrunedEntries);
        var input = new Tensor(6, 20);
        Initialize.Uniform(input.Span, 1f, new Random(4));
        for (int step = 0; step < 4; step++)
        {
            var y = model.Forward(input, training: true);
            model.Backward(y);
            optimizer.Step();
            masks.ApplyAfterStep();
        }

        foreach (var p in masks.Parameters)
        {
            var mask = p.Mask!.Span;
            var tensors = new List<Tensor> { p.Value };
            tensors.AddRange(optimizer.State(p));
            bool movedLive = false;
            foreach (var t in tensors)
            {
                var values = t.Span;
                for (int i = 0; i < values.Length; i++)
                {
                    if (mask[i] == 0f)
                    {
                        Assert.Equal(0f, values[i]);
                    }
                    else
                    {
                        movedLive |= values[i] != 0f;
                    }
                }
            }

            Assert.True(movedLive);
        }
    }
}
