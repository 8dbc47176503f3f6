using Occam.Data;
using Occam.Layers;
using Occam.Tensors;

namespace Occam.Benchmarks;

/// <summary>
/// A seeded synthetic sparse linear regression: features x ~ N(0, 1), y = x·w + noise with only a few non-zero
/// weights (±1 to ±2, random sign), so a linear model with a weight per feature has far more weights than signal.
/// Targets are standardised on the training part, as <see cref="TabularLoader"/> does for CSV regression.
/// </summary>
/// <param name="Train">Training examples [N, features].</param>
/// <param name="Test">Test examples [M, features], same weights, fresh noise.</param>
/// <param name="Weights">The true weights, one per feature.</param>
public sealed record SparseLinearRegression(Dataset Train, Dataset Test, float[] Weights)
{
    /// <summary>Indices of the non-zero true weights, ascending.</summary>
    public int[] Support => [.. Enumerable.Range(0, Weights.Length).Where(i => Weights[i] != 0)];

    /// <summary>Draws the problem from <paramref name="seed"/>.</summary>
    public static SparseLinearRegression Create(int features = 200, int nonzero = 10, int trainCount = 400, int testCount = 1000,
        double noise = 0.5, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(nonzero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nonzero, features);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(testCount, 1);
        var random = new Random(seed);
        var weights = new float[features];
        int[] order = [.. Enumerable.Range(0, features)];
        random.Shuffle(order);
        for (int i = 0; i < nonzero; i++)
        {
            float size = 1f + (float)random.NextDouble();
            weights[order[i]] = random.Next(2) == 0 ? -size : size;
        }

        var (trainX, trainY) = Draw(weights, trainCount, noise, random);
        var (testX, testY) = Draw(weights, testCount, noise, random);
        var scaling = TargetScaling.Fit(trainY);
        return new SparseLinearRegression(
            new Dataset(trainX, Standardise(trainY, scaling), scaling), new Dataset(testX, Standardise(testY, scaling), scaling), weights);
    }

    private static (Tensor X, double[] Y) Draw(float[] weights, int count, double noise, Random random)
    {
        int features = weights.Length;
        var x = new Tensor(count, features);
        Initialize.Normal(x.Span, 1f, random);
        var y = new double[count];
        var noiseDraws = new float[count];
        Initialize.Normal(noiseDraws, (float)noise, random);
        var values = x.Span;
        for (int i = 0; i < count; i++)
        {
            double sum = 0;
            for (int f = 0; f < features; f++)
            {
                sum += (double)values[(i * features) + f] * weights[f];
            }

            y[i] = sum + noiseDraws[i];
        }

        return (x, y);
    }

    private static float[] Standardise(double[] values, TargetScaling scaling)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = scaling.ToStandard(values[i]);
        }

        return result;
    }
}
