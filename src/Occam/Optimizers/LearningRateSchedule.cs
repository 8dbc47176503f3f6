namespace Occam.Optimizers;

/// <summary>A multiplier on the base learning rate as a function of the optimiser step.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The factor for step <paramref name="step"/> (0-based).</summary>
    public abstract float Factor(long step);
}

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    public override float Factor(long step) => 1f;
}

/// <summary>
/// Linear warm-up over <c>warmupSteps</c> steps, then cosine decay from 1 to <c>minFactor</c> at <c>totalSteps</c>
/// (held there afterwards). Warm-up step s (0-based) uses (s + 1) / warmupSteps, so the first step already moves
/// the weights and the last warm-up step reaches the full rate; after it,
/// factor = min + (1 − min)·½(1 + cos(π·(s − warmup) / (total − warmup))).
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    private readonly long _warmupSteps;
    private readonly long _totalSteps;
    private readonly float _minFactor;

    /// <summary>Creates the schedule; <paramref name="minFactor"/> is the final multiplier, in [0, 1].</summary>
    public CosineSchedule(long warmupSteps, long totalSteps, float minFactor = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, Math.Max(1, warmupSteps));
        if (!(minFactor >= 0f && minFactor <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(minFactor), minFactor, "The final factor must be in [0, 1].");
        }

        _warmupSteps = warmupSteps;
        _totalSteps = totalSteps;
        _minFactor = minFactor;
    }

    /// <inheritdoc />
    public override float Factor(long step)
    {
        if (step < _warmupSteps)
        {
            return (step + 1) / (float)_warmupSteps;
        }

        if (step >= _totalSteps)
        {
            return _minFactor;
        }

        double progress = (step - _warmupSteps) / (double)Math.Max(1, _totalSteps - _warmupSteps);
        return _minFactor + (1f - _minFactor) * (float)(0.5 * (1.0 + Math.Cos(Math.PI * progress)));
    }
}
