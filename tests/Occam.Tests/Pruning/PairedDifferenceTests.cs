using Occam.Layers;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;
using Occam.Tests.Training;
using Occam.Training;

namespace Occam.Tests.Pruning;

public class PairedDifferenceTests
{
    [Fact]
    public void ThePairedDifferenceIsTheMeanAndStandardErrorOfTheExampleDifferences()
    {
        // Differences 0.1, 0.3, −0.1, 0.1: mean 0.1, sample variance 0.08 / 3.
        var pair = PairedDifference.Between([1.1f, 0.8f, 0.4f, 2.1f], [1.0f, 0.5f, 0.5f, 2.0f]);
        Assert.Equal(0.1, pair.Mean, 6);
        Assert.Equal(Math.Sqrt(0.08 / 3 / 4), pair.StandardError, 6);
        Assert.True(pair.IsKnown);
        Assert.False(PairedDifference.Between([], []).IsKnown);
        Assert.Throws<ArgumentException>(() => PairedDifference.Between([1f, 2f], [1f]));
    }

    // Why pairing: a model and a slightly changed copy disagree far less than either loss varies over the rows.
    [Fact]
    public void TwoSimilarModelsDifferByFarLessThanTheNoiseOfEitherLoss()
    {
        var data = SyntheticClassification.Create(300, 4, 16, 3, seed: 3, spread: 0.9f);
        var model = Sequential.Create([20], 5, new Dense(16), new ReLU(), new Dense(3));
        int[] rows = [.. Enumerable.Range(0, data.Count)];
        var evaluator = new Evaluator();
        var before = evaluator.Evaluate(model, data, rows, keepExampleLosses: true);
        model.Parameters[0].Value.Span[0] += 0.05f;
        var after = evaluator.Evaluate(model, data, rows, keepExampleLosses: true);

        var pair = PairedDifference.Between(after.ExampleLosses.Span, before.ExampleLosses.Span);
        Assert.Equal(after.Loss - before.Loss, pair.Mean, 6);
        Assert.True(pair.StandardError < before.StandardError / 10, $"paired {pair.StandardError} vs {before.StandardError}");
        Assert.Equal(rows.Length * data.LabelsPerExample, after.ExampleLosses.Length);
        Assert.True(evaluator.Evaluate(model, data, rows).ExampleLosses.IsEmpty);
    }

    [Fact]
    public void ThePrunerPairsEachEvaluationWithTheSelectedAndTheLowestModel()
    {
        var model = Sequential.Create([6], 1, new Dense(2));
        float[] next = [];
        var schedule = new Recording();
        var pruner = new Pruner(model.Parameters, new Sgd(model.Parameters), () => Evaluation.FromLosses([.. next.Select(l => (double)l)]),
            holdoutExamples: 3, schedule);

        // The schedule selects odd epochs only, whatever their loss.
        PairedDifference Selected() => schedule.Last!.PairedWithSelected[^1];
        PairedDifference Lowest() => schedule.Last!.PairedWithLowest[^1];
        next = [1.0f, 1.0f, 1.0f];
        pruner.EndEpoch();
        Assert.False(Selected().IsKnown);
        Assert.False(Lowest().IsKnown);

        next = [0.5f, 0.7f, 0.9f];
        pruner.EndEpoch();
        Assert.Equal(-0.3, Selected().Mean, 6);
        Assert.Equal(-0.3, Lowest().Mean, 6);

        // Epoch 2 was lower but not selected, so epoch 1 is still both references.
        next = [0.6f, 0.7f, 0.9f];
        pruner.EndEpoch();
        Assert.Equal(-0.8 / 3, Lowest().Mean, 6);

        // Epoch 3 is selected and lowest; epoch 5 is selected but worse, so the two references part.
        next = [0.9f, 0.9f, 0.9f];
        pruner.EndEpoch();
        next = [1.2f, 1.2f, 1.2f];
        pruner.EndEpoch();
        next = [1.0f, 1.0f, 1.0f];
        pruner.EndEpoch();
        Assert.Equal(-0.2, Selected().Mean, 6);
        Assert.Equal(1.0 - (2.2 / 3), Lowest().Mean, 6);
        Assert.Equal(0.0, Selected().StandardError, 6);
        Assert.True(Lowest().StandardError > 0);
    }

    private sealed class Recording : IPruningSchedule
    {
        public PruningContext? Last { get; private set; }

        public string Name => "recording";

        public PruningDecision Decide(PruningContext context)
        {
            Last = context with { PairedWithSelected = [.. context.PairedWithSelected], PairedWithLowest = [.. context.PairedWithLowest] };
            return new PruningDecision { SelectCurrent = context.Epoch % 2 == 1 };
        }
    }
}
