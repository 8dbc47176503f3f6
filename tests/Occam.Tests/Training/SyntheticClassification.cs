using Occam.Data;
using Occam.Layers;
using Occam.Tensors;

namespace Occam.Tests.Training;

/// <summary>
/// A seeded, over-parameterisable classification task: each class has a centre in a few informative features, the
/// remaining features are pure noise, so a small model suffices and a large one mostly fits noise.
/// </summary>
public static class SyntheticClassification
{
    public static Dataset Create(int count, int informative, int noise, int classes, int seed, float spread = 1.5f)
    {
        var random = new Random(seed);
        var centres = new float[classes * informative];
        Initialize.Uniform(centres, 2f, new Random(12345));
        int features = informative + noise;
        var x = new Tensor(count, features);
        var labels = new int[count];
        var row = new float[features];
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            labels[i] = label;
            Initialize.Normal(row, 1f, random);
            for (int f = 0; f < informative; f++)
            {
                row[f] = centres[label * informative + f] + spread * row[f];
            }

            row.CopyTo(x.Span.Slice(i * features, features));
        }

        return new Dataset(x, labels, classes);
    }
}
