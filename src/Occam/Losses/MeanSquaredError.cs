namespace Occam.Losses;

/// <summary>Mean squared error: the mean of (prediction − target)² over rows.</summary>
public sealed class MeanSquaredError : RegressionLoss
{
    /// <inheritdoc />
    public override string Name => "mse";

    /// <inheritdoc />
    protected override void RowLosses(ReadOnlySpan<float> residuals, Span<float> losses) =>
        TensorPrimitives.Multiply(residuals, residuals, losses);

    /// <inheritdoc />
    protected override void RowGradients(ReadOnlySpan<float> residuals, float scale, Span<float> gradients) =>
        TensorPrimitives.Multiply(residuals, 2f * scale, gradients);
}
