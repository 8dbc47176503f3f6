namespace Occam.Data;

/// <summary>Fashion-MNIST (Zalando Research, MIT licence): 28×28 grey images of ten kinds of clothing.</summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the four IDX files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>How to get the files when they are missing.</summary>
    public const string InstallHint = "install Fashion-MNIST with: apt-get install -y dataset-fashion-mnist (it puts the files in " + DefaultDirectory + ")";

    /// <summary>The ten class names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads the training (60 000) and test (10 000) sets; see <see cref="IdxLoader.Load"/> for shapes.</summary>
    /// <param name="directory">Directory with the IDX files; <see cref="DefaultDirectory"/> when null.</param>
    /// <param name="flatten">Produce flat [N, 784] features instead of [N, 1, 28, 28] images.</param>
    /// <exception cref="DataFormatException">The files are missing (the message says how to install them) or malformed.</exception>
    public static TrainTestData Load(string? directory = null, bool flatten = false) =>
        IdxLoader.Load(directory ?? DefaultDirectory, flatten, ClassNames, InstallHint);
}
