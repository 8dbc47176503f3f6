using Occam.Data;
using Occam.Layers;
using Occam.Losses;
using Occam.Tensors;

namespace Occam.Training;

/// <summary>The figures of one evaluation pass.</summary>
/// <param name="Loss">Mean cross-entropy over all label positions.</param>
/// <param name="Accuracy">Fraction of positions whose largest logit is the label.</param>
/// <param name="StandardError">Standard error of <paramref name="Loss"/> over positions.</param>
public readonly record struct Evaluation(double Loss, double Accuracy, double StandardError);

/// <summary>
/// Evaluates a classifier (inference mode) on a dataset or a subset of its examples, in batches copied into a reused
/// input tensor.
/// </summary>
public sealed class Evaluator
{
    private readonly int _batchSize;
    private readonly SoftmaxCrossEntropy _loss = new();
    private Tensor? _input;
    private int[] _labels = [];
    private float[] _rowLosses = [];

    /// <summary>Creates an evaluator with batches of <paramref name="batchSize"/> examples.</summary>
    public Evaluator(int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _batchSize = batchSize;
    }

    /// <summary>Evaluates <paramref name="model"/> on the examples of <paramref name="data"/> at <paramref name="indices"/> (null: all).</summary>
    public Evaluation Evaluate(Layer model, Dataset data, int[]? indices = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        int count = indices?.Length ?? data.Count;
        if (count == 0)
        {
            return new Evaluation(double.NaN, double.NaN, double.NaN);
        }

        int perExample = data.LabelsPerExample;
        _input ??= BatchCopy.CreateInput(data, _batchSize);
        EnsureLength(ref _labels, _batchSize * perExample);
        EnsureLength(ref _rowLosses, _batchSize * perExample);
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

        double mean = sum / rows;
        double variance = rows > 1 ? Math.Max(0, (sumSquares - rows * mean * mean) / (rows - 1)) : 0;
        return new Evaluation(mean, (double)correct / rows, Math.Sqrt(variance / rows));
    }

    private static void EnsureLength<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length];
        }
    }
}
