using Occam.Layers;
using Occam.Tensors;

namespace Occam.Tests.Support;

/// <summary>Seeded inputs for layer tests.</summary>
public static class TestData
{
    /// <summary>A tensor of the given shape filled from U(−1, 1).</summary>
    public static Tensor Uniform(int seed, params int[] shape)
    {
        var t = new Tensor(shape);
        Initialize.Uniform(t.Span, 1f, new Random(seed));
        return t;
    }

    /// <summary>
    /// A tensor whose elements are a random permutation of ±½·spacing, ±1½·spacing, …: no two are closer than
    /// <paramref name="spacing"/> and none is closer to zero than half of it, so neither a max nor a ReLU kink
    /// flips under a smaller perturbation.
    /// </summary>
    public static Tensor Distinct(int seed, float spacing, params int[] shape)
    {
        var t = new Tensor(shape);
        var values = t.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i - values.Length / 2 + 0.5f) * spacing;
        }

        new Random(seed).Shuffle(values);
        return t;
    }

    /// <summary>Random class labels in [0, classes).</summary>
    public static int[] Labels(int seed, int count, int classes)
    {
        var random = new Random(seed);
        var labels = new int[count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(classes);
        }

        return labels;
    }
}
