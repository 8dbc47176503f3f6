using Occam.Layers;

namespace Occam.Models;

/// <summary>The image models of SPEC §4, built and initialised from a seed: the MLP family and the reference CNN.</summary>
public static class ReferenceModels
{
    /// <summary>
    /// [Flatten] → (Dense(h) → ReLU → Dropout)… → Dense(classes). Images are flattened first; dropout 0 leaves the
    /// dropout layers out. Dropout layer i draws its masks from seed + 1000·(i + 1).
    /// </summary>
    public static Sequential Mlp(int[] inputShape, IReadOnlyList<int> hiddenSizes, int classes, double dropout, int seed)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        var layers = new List<Layer>();
        if (inputShape.Length > 1)
        {
            layers.Add(new Flatten());
        }

        for (int i = 0; i < hiddenSizes.Count; i++)
        {
            layers.Add(new Dense(hiddenSizes[i]));
            layers.Add(new ReLU());
            if (dropout > 0)
            {
                layers.Add(new Dropout((float)dropout, seed + 1000 * (i + 1)));
            }
        }

        layers.Add(new Dense(classes));
        return Sequential.Create(inputShape, seed, [.. layers]);
    }

    /// <summary>True when [C, H, W] images are large enough for <see cref="Cnn"/>'s three 'valid' convolutions and two poolings.</summary>
    public static bool FitsCnn(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 3)
        {
            return false;
        }

        int size = Math.Min(inputShape[1], inputShape[2]);
        return (((size - 2) / 2) - 2) / 2 - 2 >= 1;
    }

    /// <summary>
    /// The reference CNN ('valid' padding, ReLU everywhere): conv3×3(N) → pool → conv3×3(2N) → pool → conv3×3(2N) →
    /// Dense(2N) → Dense(classes), for [C, H, W] images that <see cref="FitsCnn"/>.
    /// </summary>
    public static Sequential Cnn(int[] inputShape, int channels, int classes, int seed)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (!FitsCnn(inputShape))
        {
            throw new ArgumentException($"Examples of shape [{string.Join(", ", inputShape)}] are too small for the reference CNN.", nameof(inputShape));
        }

        int n = channels;
        return Sequential.Create(inputShape, seed,
            new Conv2D(n, 3, Padding.Valid), new ReLU(), new MaxPool2D(2),
            new Conv2D(2 * n, 3, Padding.Valid), new ReLU(), new MaxPool2D(2),
            new Conv2D(2 * n, 3, Padding.Valid), new ReLU(), new Flatten(),
            new Dense(2 * n), new ReLU(),
            new Dense(classes));
    }
}
