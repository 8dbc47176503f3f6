namespace Occam.Training;

/// <summary>Regression figures of one set of predictions, in the target's original units.</summary>
/// <param name="Mse">Mean squared error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="R2">Coefficient of determination, 1 − SSE / SST around the actual values' own mean (can be negative).</param>
public readonly record struct RegressionScores(double Mse, double Rmse, double Mae, double R2);

/// <summary>Regression metrics (MSE, RMSE, MAE, R²) of predictions against actual values, shared by the trainer and the benchmarks.</summary>
public static class RegressionMetrics
{
    /// <summary>The metrics of <paramref name="predicted"/> against <paramref name="actual"/> (same length, at least one).</summary>
    public static RegressionScores Compute(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual)
    {
        if (predicted.Length != actual.Length || actual.IsEmpty)
        {
            throw new ArgumentException($"Expected as many predictions as actual values (at least one); got {predicted.Length} and {actual.Length}.", nameof(predicted));
        }

        double mean = 0;
        foreach (double y in actual)
        {
            mean += y;
        }

        mean /= actual.Length;
        double squared = 0, absolute = 0, total = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double error = predicted[i] - actual[i];
            squared += error * error;
            absolute += Math.Abs(error);
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        double mse = squared / actual.Length;
        // A constant actual set has no variance to explain: R² is 1 for a perfect fit and undefined (NaN) otherwise.
        double r2 = total > 0 ? 1 - (squared / total) : (squared == 0 ? 1 : double.NaN);
        return new RegressionScores(mse, Math.Sqrt(mse), absolute / actual.Length, r2);
    }
}
