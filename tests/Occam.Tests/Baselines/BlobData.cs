using Occam.Data;
using Occam.Tensors;

namespace Occam.Tests.Baselines;

/// <summary>Gaussian blobs, one per class, centred far enough apart that any sensible classifier separates them.</summary>
internal static class BlobData
{
    public static Dataset Make(int classCount, int rowsPerClass, int featureCount, int seed, double spread = 1.0)
    {
        var random = new Random(seed);
        var centres = new double[classCount, featureCount];
        for (int c = 0; c < classCount; c++)
        {
            for (int j = 0; j < featureCount; j++)
            {
                centres[c, j] = random.NextDouble() * 12.0 * Math.Sqrt(classCount);
            }
        }

        int count = classCount * rowsPerClass;
        var features = new Tensor(count, featureCount);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            // Interleave classes so any prefix is balanced.
            int label = i % classCount;
            labels[i] = label;
            for (int j = 0; j < featureCount; j++)
            {
                features.Span[(i * featureCount) + j] = (float)(centres[label, j] + (spread * Gaussian(random)));
            }
        }

        return new Dataset(features, labels, classCount);
    }

    /// <summary>Splits into a training prefix and a held-out suffix.</summary>
    public static (Dataset Train, Dataset Test) Split(Dataset data, double trainFraction)
    {
        int trainCount = (int)(data.Count * trainFraction);
        int[] order = [.. Enumerable.Range(0, data.Count)];
        return (data.Subset(order.AsSpan(0, trainCount)), data.Subset(order.AsSpan(trainCount)));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
