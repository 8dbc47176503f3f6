namespace Occam.Data;

/// <summary>MNIST handwritten digits, read from the four standard IDX files a user has downloaded.</summary>
public static class Mnist
{
    /// <summary>How to get the files when they are missing.</summary>
    public const string DownloadHint =
        "download the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into that directory";

    /// <summary>Loads the training and test sets from <paramref name="directory"/>; see <see cref="IdxLoader.Load"/> for shapes.</summary>
    /// <exception cref="DataFormatException">The files are missing or malformed.</exception>
    public static TrainTestData Load(string directory, bool flatten = false) =>
        IdxLoader.Load(directory, flatten, classNames: null, DownloadHint);
}
