using Occam.Layers;
using Occam.Models;
using Occam.Pruning;

namespace Occam.Tests.Pruning;

public class PrunerSelectionTests
{
    [Fact]
    public void ScheduleDecidesWhichModelIsSelected()
    {
        // Epoch 2 has the lower loss but the schedule keeps epoch 1; epoch 3 is worse but the schedule selects it.
        var model = Sequential.Create([6], 1, new Dense(4), new ReLU(), new Dense(2));
        var pruner = new Pruner(model.Parameters, optimizer: null, schedule: new SelectAt(1, 3), totalEpochs: 5);
        var weights = model.Parameters[0].Value.Span;

        pruner.EndEpoch(0.5);
        Assert.True(pruner.LastWasBest);
        weights[0] += 1f;
        pruner.EndEpoch(0.4);
        Assert.False(pruner.LastWasBest);
        Assert.Equal(1, pruner.BestEpoch);
        Assert.Equal(0.5, pruner.BestHoldoutLoss);

        weights[0] += 1f;
        float third = weights[0];
        pruner.EndEpoch(0.6);
        Assert.True(pruner.LastWasBest);
        Assert.Equal(3, pruner.BestEpoch);
        Assert.Equal(0.6, pruner.BestHoldoutLoss);

        weights[0] += 1f;
        pruner.RestoreBest();
        Assert.Equal(third, weights[0]);
    }

    [Fact]
    public void ADivergedModelIsNeverSelectedEvenWhenTheScheduleAsks()
    {
        var model = Sequential.Create([6], 1, new Dense(2));
        var pruner = new Pruner(model.Parameters, optimizer: null, schedule: new SelectAt(1, 2), totalEpochs: 3);
        pruner.EndEpoch(0.5);
        pruner.EndEpoch(double.NaN);
        Assert.False(pruner.LastWasBest);
        Assert.Equal(1, pruner.BestEpoch);
    }

    [Fact]
    public void HoldoutSizeReachesTheSchedule()
    {
        var model = Sequential.Create([6], 1, new Dense(2));
        var schedule = new SelectAt();
        var pruner = new Pruner(model.Parameters, optimizer: null, schedule: schedule, totalEpochs: 3, holdoutExamples: 250);
        pruner.EndEpoch(0.5);
        Assert.Equal(250, schedule.LastHoldoutExamples);
    }

    private sealed class SelectAt(params int[] epochs) : IPruningSchedule
    {
        public string Name => "select";

        public int? LastHoldoutExamples { get; private set; }

        public PruningDecision Decide(PruningContext context)
        {
            LastHoldoutExamples = context.HoldoutExamples;
            return new() { SelectCurrent = epochs.Contains(context.Epoch) };
        }
    }
}
