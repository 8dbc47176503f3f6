using Occam.Tensors;

namespace Occam.Losses;

/// <summary>
/// The shared part of the regression losses: keeps the residuals (prediction − target) of the last forward pass and a
/// preallocated gradient buffer; subclasses give the per-row losses and derivatives of a batch of residuals (one call per batch).
/// </summary>
public abstract class RegressionLoss : IRegressionLoss
{
    private Tensor? _residuals;
    private Tensor? _predictionsGrad;
    private float[] _rowLosses = [];
    private int _rows;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The loss for <paramref name="huberDelta"/>: null gives <see cref="MeanSquaredError"/>, a value <see cref="HuberLoss"/>.</summary>
    public static IRegressionLoss Create(double? huberDelta) =>
        huberDelta is double delta ? new HuberLoss(delta) : new MeanSquaredError();

    /// <inheritdoc />
    public float Forward(Tensor predictions, ReadOnlySpan<float> targets, Span<float> perRowLoss = default)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        int rows = predictions.Batch;
        if (predictions.Length != rows || targets.Length != rows)
        {
            throw new ArgumentException(
                $"Expected one prediction per row and one target per row; got {predictions} for {targets.Length} targets.", nameof(targets));
        }

        _residuals ??= new Tensor(rows, 1);
        _residuals.SetBatch(rows);
        _rows = rows;
        var residuals = _residuals.Span;
        TensorPrimitives.Subtract(predictions.Span, targets, residuals);
        if (_rowLosses.Length < rows)
        {
            _rowLosses = new float[rows];
        }

        var losses = _rowLosses.AsSpan(0, rows);
        RowLosses(residuals, losses);
        if (!perRowLoss.IsEmpty)
        {
            losses.CopyTo(perRowLoss);
        }

        // Summed in double, row by row, so the mean does not depend on how a SIMD sum would group the rows.
        double total = 0;
        foreach (float loss in losses)
        {
            total += loss;
        }

        return (float)(total / rows);
    }

    /// <inheritdoc />
    public Tensor Backward()
    {
        var residuals = (_residuals ?? throw new InvalidOperationException("Forward has not run.")).Span;
        _predictionsGrad ??= new Tensor(_rows, 1);
        _predictionsGrad.SetBatch(_rows);
        RowGradients(residuals, 1f / _rows, _predictionsGrad.Span);
        return _predictionsGrad;
    }

    /// <summary>Writes each row's loss for its residual (prediction − target).</summary>
    protected abstract void RowLosses(ReadOnlySpan<float> residuals, Span<float> losses);

    /// <summary>Writes <paramref name="scale"/> × the derivative of each row's loss at its residual.</summary>
    protected abstract void RowGradients(ReadOnlySpan<float> residuals, float scale, Span<float> gradients);
}
