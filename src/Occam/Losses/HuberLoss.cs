namespace Occam.Losses;

/// <summary>
/// Huber loss: ½r² for |r| ≤ δ and δ(|r| − ½δ) beyond, averaged over rows (r = prediction − target). Quadratic near
/// zero, linear in the tails, so a few outlying targets do not dominate the gradient.
/// </summary>
public sealed class HuberLoss : RegressionLoss
{
    private readonly float _delta;

    /// <summary>Creates the loss with threshold <paramref name="delta"/> (positive, finite), in target units.</summary>
    public HuberLoss(double delta)
    {
        if (!(delta > 0 && double.IsFinite(delta)))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "The Huber delta must be positive and finite.");
        }

        _delta = (float)delta;
    }

    /// <summary>The threshold between the quadratic and the linear part.</summary>
    public double Delta => _delta;

    /// <inheritdoc />
    public override string Name => "huber";

    /// <inheritdoc />
    protected override void RowLosses(ReadOnlySpan<float> residuals, Span<float> losses)
    {
        for (int r = 0; r < residuals.Length; r++)
        {
            float size = MathF.Abs(residuals[r]);
            losses[r] = size <= _delta ? 0.5f * size * size : _delta * (size - (0.5f * _delta));
        }
    }

    /// <inheritdoc />
    protected override void RowGradients(ReadOnlySpan<float> residuals, float scale, Span<float> gradients)
    {
        for (int r = 0; r < residuals.Length; r++)
        {
            gradients[r] = Math.Clamp(residuals[r], -_delta, _delta) * scale;
        }
    }
}
