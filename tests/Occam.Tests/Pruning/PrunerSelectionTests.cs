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
        var holdout = new ScriptedHoldout(model.Parameters, new SelectAt(1, 3), totalEpochs: 5);
        var pruner = holdout.Pruner;
        var weights = model.Parameters[0].Value.Span;

        Assert.True(holdout.End(0.5).Selected);
        weights[0] += 1f;
        Assert.False(holdout.End(0.4).Selected);
        Assert.Equal(1, pruner.BestEpoch);
        Assert.Equal(0.5, pruner.BestHoldoutLoss);

        weights[0] += 1f;
        float third = weights[0];
        Assert.True(holdout.End(0.6).Selected);
        Assert.Equal(3, pruner.BestEpoch);
        Assert.Equal(2, pruner.BestCandidate);
        Assert.Equal(0.6, pruner.BestHoldoutLoss);

        weights[0] += 1f;
        pruner.RestoreBest();
        Assert.Equal(third, weights[0]);
    }

    [Fact]
    public void ADivergedEpochChangesNothingAndIsNeverSelectedEvenWhenTheScheduleAsks()
    {
        var model = Sequential.Create([6], 1, new Dense(2));
        var holdout = new ScriptedHoldout(model.Parameters, new SelectAt(1, 2), totalEpochs: 3);
        holdout.End(0.5);
        var diverged = holdout.End(double.NaN);
        Assert.True(diverged.Diverged);
        Assert.False(diverged.Selected);
        Assert.Equal(1, holdout.Pruner.BestEpoch);
        Assert.Equal(1, holdout.Pruner.Epoch);
        Assert.Equal(1, holdout.Pruner.Candidates);
    }

    [Fact]
    public void HoldoutSizeReachesTheSchedule()
    {
        var model = Sequential.Create([6], 1, new Dense(2));
        var schedule = new SelectAt();
        new ScriptedHoldout(model.Parameters, schedule, totalEpochs: 3, holdoutExamples: 250).End(0.5);
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
