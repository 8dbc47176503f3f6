using Occam.Kernels;
using Occam.Tensors;

namespace Occam.Losses;

/// <summary>
/// Softmax followed by cross-entropy against integer class labels, averaged over all rows
/// (the batch, or every position of every sequence when logits are [batch·positions, classes]).
/// </summary>
public sealed class SoftmaxCrossEntropy
{
    private Tensor? _probabilities;
    private Tensor? _logitsGrad;
    private int[] _labels = [];
    private int _rows;

    /// <summary>Class probabilities of the last forward pass, [rows, classes].</summary>
    public Tensor Probabilities => _probabilities ?? throw new InvalidOperationException("Forward has not run.");

    /// <summary>
    /// Returns the mean loss of <paramref name="logits"/> [rows, classes] against <paramref name="labels"/> (one per row).
    /// When <paramref name="perRowLoss"/> is not empty it receives each row's loss.
    /// </summary>
    public float Forward(Tensor logits, ReadOnlySpan<int> labels, Span<float> perRowLoss = default)
    {
        ArgumentNullException.ThrowIfNull(logits);
        int classes = logits.Dim(logits.Rank - 1);
        int rows = logits.Length / classes;
        if (labels.Length != rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {rows} rows of logits.", nameof(labels));
        }

        _probabilities ??= new Tensor(rows, classes);
        _probabilities.SetBatch(rows);
        if (_labels.Length < rows)
        {
            _labels = new int[rows];
        }

        labels.CopyTo(_labels);
        _rows = rows;
        double total = 0;
        var x = logits.Span;
        var p = _probabilities.Span;
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * classes, classes);
            int label = labels[r];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {label} outside 0..{classes - 1}.");
            }

            float loss = -Softmax.LogSoftmaxAt(row, label);
            Softmax.Forward(row, p.Slice(r * classes, classes));
            total += loss;
            if (!perRowLoss.IsEmpty)
            {
                perRowLoss[r] = loss;
            }
        }

        return (float)(total / rows);
    }

    /// <summary>Gradient of the mean loss with respect to the logits: (p − onehot) / rows.</summary>
    public Tensor Backward()
    {
        var probabilities = Probabilities;
        int classes = probabilities.Dim(1);
        _logitsGrad ??= new Tensor(_rows, classes);
        _logitsGrad.SetBatch(_rows);
        var g = _logitsGrad.Span;
        probabilities.Span.CopyTo(g);
        for (int r = 0; r < _rows; r++)
        {
            g[r * classes + _labels[r]] -= 1f;
        }

        TensorPrimitives.Multiply(g, 1f / _rows, g);
        return _logitsGrad;
    }
}
