using Occam.Data;
using Occam.Layers;
using Occam.Losses;
using Occam.Tensors;

namespace Occam.Training;

/// <summary>The figures of one evaluation pass.</summary>
/// <param name="Loss">Mean task loss over all label positions: cross-entropy, or the regression loss on standardised targets.</param>
/// <param name="Accuracy">Fraction of positions whose largest logit is the label (NaN for regression).</param>
/// <param name="StandardError">Standard error of <paramref name="Loss"/> over positions.</param>
/// <param name="Regression">Regression only: MSE, RMSE, MAE and R² in the target's original units.</param>
public readonly record struct Evaluation(double Loss, double Accuracy, double StandardError, RegressionScores? Regression = null)
{
    /// <summary>
    /// The loss of each example (each label position) in evaluation order, when the evaluation kept them; empty
    /// otherwise. Two evaluations of the same examples that both kept them can be compared pair by pair
    /// (<see cref="Pruning.PairedDifference"/>), which is how a <see cref="Pruning.Pruner"/> tells a real change from noise.
    /// </summary>
    public ReadOnlyMemory<float> ExampleLosses { get; init; }

    /// <summary>
    /// The evaluation of a model from its loss on each held-out example, as a loop of one's own computes them: the mean
    /// and its standard error (what a <see cref="Pruning.Pruner"/> judges by), with no accuracy (NaN).
    /// </summary>
    public static Evaluation FromLosses(ReadOnlySpan<double> losses)
    {
        ArgumentOutOfRangeException.ThrowIfZero(losses.Length, nameof(losses));
        double sum = 0, sumSquares = 0;
        foreach (double loss in losses)
        {
            sum += loss;
            sumSquares += loss * loss;
        }

        var (mean, standardError) = Evaluation.MeanAndStandardError(sum, sumSquares, losses.Length);
        var kept = new float[losses.Length];
        for (int i = 0; i < kept.Length; i++)
        {
            kept[i] = (float)losses[i];
        }

        return new Evaluation(mean, double.NaN, standardError) { ExampleLosses = kept };
    }

    /// <summary>The mean of <paramref name="rows"/> values and its standard error, from their sum and sum of squares.</summary>
    internal static (double Mean, double StandardError) MeanAndStandardError(double sum, double sumSquares, long rows)
    {
        double mean = sum / rows;
        double variance = rows > 1 ? Math.Max(0, (sumSquares - rows * mean * mean) / (rows - 1)) : 0;
        return (mean, Math.Sqrt(variance / rows));
    }
}

/// <summary>
/// Evaluates a classifier or a regressor (inference mode) on a dataset or a subset of its examples, in batches copied
/// into a reused input tensor. The task is the dataset's (<see cref="Dataset.Task"/>).
/// </summary>
public sealed class Evaluator
{
    private readonly int _batchSize;
    private readonly SoftmaxCrossEntropy _loss = new();
    private readonly IRegressionLoss _regressionLoss;
    private Tensor? _input;
    private int[] _labels = [];
    private float[] _targets = [];
    private float[] _rowLosses = [];
    private double[] _predicted = [];
    private double[] _actual = [];

    /// <summary>
    /// Creates an evaluator with batches of <paramref name="batchSize"/> examples; regression uses the Huber loss with
    /// <paramref name="huberDelta"/> when given, else mean squared error (see <see cref="RegressionLoss.Create"/>).
    /// </summary>
    public Evaluator(int batchSize = 256, double? huberDelta = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _batchSize = batchSize;
        _regressionLoss = RegressionLoss.Create(huberDelta);
    }

    /// <summary>
    /// Evaluates <paramref name="model"/> on the examples of <paramref name="data"/> at <paramref name="indices"/> (null:
    /// all); with <paramref name="keepExampleLosses"/> the result carries every example's loss
    /// (<see cref="Evaluation.ExampleLosses"/>, a new array).
    /// </summary>
    public Evaluation Evaluate(Layer model, Dataset data, int[]? indices = null, bool keepExampleLosses = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        int count = indices?.Length ?? data.Count;
        if (count == 0)
        {
            return new Evaluation(double.NaN, double.NaN, double.NaN);
        }

        if (data.Task == LearningTask.Regression)
        {
            return EvaluateRegression(model, data, indices, count, keepExampleLosses);
        }

        int perExample = data.LabelsPerExample;
        _input ??= BatchCopy.CreateInput(data, _batchSize);
        EnsureLength(ref _labels, _batchSize * perExample);
        EnsureLength(ref _rowLosses, _batchSize * perExample);
        float[]? kept = keepExampleLosses ? new float[(long)count * perExample] : null;
        double sum = 0, sumSquares = 0;
        long correct = 0, rows = 0;
        for (int start = 0; start < count; start += _batchSize)
        {
            int n = Math.Min(_batchSize, count - start);
            if (indices is null)
            {
                BatchCopy.FillRange(data, start, n, _input, _labels);
            }
            else
            {
                BatchCopy.Fill(data, indices.AsSpan(start, n), _input, _labels);
            }

            var logits = model.Forward(_input, training: false);
            int labelCount = n * perExample;
            var rowLosses = _rowLosses.AsSpan(0, labelCount);
            _loss.Forward(logits, _labels.AsSpan(0, labelCount), rowLosses);
            if (kept is not null)
            {
                rowLosses.CopyTo(kept.AsSpan((int)rows));
            }

            foreach (float l in rowLosses)
            {
                sum += l;
                sumSquares += (double)l * l;
            }

            int classes = logits.Dim(logits.Rank - 1);
            var values = logits.Span;
            for (int r = 0; r < labelCount; r++)
            {
                if (TensorPrimitives.IndexOfMax<float>(values.Slice(r * classes, classes)) == _labels[r])
                {
                    correct++;
                }
            }

            rows += labelCount;
        }

        var (mean, standardError) = Evaluation.MeanAndStandardError(sum, sumSquares, rows);
        return new Evaluation(mean, (double)correct / rows, standardError) { ExampleLosses = kept };
    }

    private Evaluation EvaluateRegression(Layer model, Dataset data, int[]? indices, int count, bool keepExampleLosses)
    {
        float[]? kept = keepExampleLosses ? new float[count] : null;
        _input ??= BatchCopy.CreateInput(data, _batchSize);
        EnsureLength(ref _labels, _batchSize);
        EnsureLength(ref _targets, _batchSize);
        EnsureLength(ref _rowLosses, _batchSize);
        EnsureLength(ref _predicted, count);
        EnsureLength(ref _actual, count);
        var scaling = data.TargetScaling!;
        double sum = 0, sumSquares = 0;
        for (int start = 0; start < count; start += _batchSize)
        {
            int n = Math.Min(_batchSize, count - start);
            if (indices is null)
            {
                BatchCopy.FillRange(data, start, n, _input, _labels, _targets);
            }
            else
            {
                BatchCopy.Fill(data, indices.AsSpan(start, n), _input, _labels, _targets);
            }

            var predictions = model.Forward(_input, training: false);
            var rowLosses = _rowLosses.AsSpan(0, n);
            _regressionLoss.Forward(predictions, _targets.AsSpan(0, n), rowLosses);
            if (kept is not null)
            {
                rowLosses.CopyTo(kept.AsSpan(start));
            }

            var values = predictions.Span;
            for (int r = 0; r < n; r++)
            {
                sum += rowLosses[r];
                sumSquares += (double)rowLosses[r] * rowLosses[r];
                _predicted[start + r] = scaling.ToOriginal(values[r]);
                _actual[start + r] = scaling.ToOriginal(_targets[r]);
            }
        }

        var (mean, standardError) = Evaluation.MeanAndStandardError(sum, sumSquares, count);
        var scores = RegressionMetrics.Compute(_predicted.AsSpan(0, count), _actual.AsSpan(0, count));
        return new Evaluation(mean, double.NaN, standardError, scores) { ExampleLosses = kept };
    }

    private static void EnsureLength<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length];
        }
    }
}
