namespace Occam.Pruning;

/// <summary>
/// How a model's held-out loss differs from another's on the same examples: the mean of the per-example differences
/// (candidate − reference) and its standard error. <i>Why paired:</i> two models scored on the same rows share most of
/// their noise (the hard rows are hard for both), so the difference is known far more precisely than either loss.
/// </summary>
/// <param name="Mean">Mean of the per-example loss differences; negative: the candidate is better.</param>
/// <param name="StandardError">Standard error of <paramref name="Mean"/> over the examples.</param>
public readonly record struct PairedDifference(double Mean, double StandardError)
{
    /// <summary>No comparison was possible (no reference model yet, or an evaluation without per-example losses).</summary>
    public static PairedDifference None => new(double.NaN, double.NaN);

    /// <summary>True when a comparison was made.</summary>
    public bool IsKnown => double.IsFinite(Mean) && double.IsFinite(StandardError);

    /// <summary>The paired difference of <paramref name="candidate"/> minus <paramref name="reference"/>, example by example.</summary>
    /// <exception cref="ArgumentException">The two hold different numbers of examples.</exception>
    public static PairedDifference Between(ReadOnlySpan<float> candidate, ReadOnlySpan<float> reference)
    {
        if (candidate.Length != reference.Length)
        {
            throw new ArgumentException($"Paired losses need the same examples: {candidate.Length} against {reference.Length}.", nameof(reference));
        }

        if (candidate.IsEmpty)
        {
            return None;
        }

        double sum = 0, sumSquares = 0;
        for (int i = 0; i < candidate.Length; i++)
        {
            double d = (double)candidate[i] - reference[i];
            sum += d;
            sumSquares += d * d;
        }

        var (mean, standardError) = Training.Evaluation.MeanAndStandardError(sum, sumSquares, candidate.Length);
        return new PairedDifference(mean, standardError);
    }
}
