namespace Occam.Data;

/// <summary>
/// The standardisation of a regression target, fitted on the training split: models learn (y − mean) / std, and
/// predictions and metrics are turned back into the original units with <see cref="ToOriginal"/>.
/// </summary>
/// <param name="Mean">Training mean of the target.</param>
/// <param name="Std">Training standard deviation of the target (1 for a constant target).</param>
public sealed record TargetScaling(double Mean, double Std)
{
    /// <summary>No scaling: targets already in the units to report.</summary>
    public static TargetScaling Identity { get; } = new(0, 1);

    /// <summary>Fits mean and standard deviation on <paramref name="values"/> (a constant or empty set gets std 1).</summary>
    public static TargetScaling Fit(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return Identity;
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        double mean = sum / values.Length;
        double squares = 0;
        foreach (double v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        double std = Math.Sqrt(squares / values.Length);
        return new TargetScaling(mean, std > 1e-12 * Math.Max(1, Math.Abs(mean)) ? std : 1);
    }

    /// <summary>The standardised value of <paramref name="original"/>.</summary>
    public float ToStandard(double original) => (float)((original - Mean) / Std);

    /// <summary>The original-units value of a standardised <paramref name="standard"/>.</summary>
    public double ToOriginal(double standard) => (standard * Std) + Mean;
}
