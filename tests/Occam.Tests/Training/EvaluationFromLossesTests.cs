using Occam.Layers;
using Occam.Models;
using Occam.Training;

namespace Occam.Tests.Training;

public class EvaluationFromLossesTests
{
    // A loop of one's own hands the pruner per-example losses: the library derives the same mean and standard error
    // as when it evaluates the held-out rows itself.
    [Fact]
    public void PerExampleLossesGiveTheEvaluatorsMeanAndStandardError()
    {
        var data = SyntheticClassification.Create(120, 4, 16, 3, seed: 2, spread: 0.8f);
        var model = Sequential.Create([20], 5, new Dense(16), new ReLU(), new Dense(3));
        var evaluator = new Evaluator();
        int[] rows = [.. Enumerable.Range(0, data.Count)];
        double[] losses = [.. rows.Select(r => evaluator.Evaluate(model, data, [r]).Loss)];

        var whole = evaluator.Evaluate(model, data, rows);
        var fromLosses = Evaluation.FromLosses(losses);

        Assert.True(whole.StandardError > 0);
        Assert.Equal(whole.Loss, fromLosses.Loss, 9);
        Assert.Equal(whole.StandardError, fromLosses.StandardError, 9);
        Assert.True(double.IsNaN(fromLosses.Accuracy));
    }

    [Fact]
    public void KnownLossesGiveTheSampleStandardErrorOfTheMean()
    {
        var evaluation = Evaluation.FromLosses([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, evaluation.Loss, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0 / 4.0), evaluation.StandardError, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluation.FromLosses([]));
        Assert.Equal([1f, 2f, 3f, 4f], evaluation.ExampleLosses.ToArray());
    }

    [Fact]
    public void KeptExampleLossesAverageToTheLoss()
    {
        var data = SyntheticClassification.Create(90, 4, 16, 3, seed: 4, spread: 0.8f);
        var model = Sequential.Create([20], 5, new Dense(16), new ReLU(), new Dense(3));
        int[] rows = [.. Enumerable.Range(10, 70)];
        var evaluation = new Evaluator(batchSize: 32).Evaluate(model, data, rows, keepExampleLosses: true);
        Assert.Equal(rows.Length, evaluation.ExampleLosses.Length);
        Assert.Equal(evaluation.Loss, evaluation.ExampleLosses.ToArray().Average(l => (double)l), 5);
        Assert.Equal(evaluation.StandardError, Evaluation.FromLosses([.. evaluation.ExampleLosses.ToArray().Select(l => (double)l)]).StandardError, 5);
    }
}
