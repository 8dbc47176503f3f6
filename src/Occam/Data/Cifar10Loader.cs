using Occam.Tensors;

namespace Occam.Data;

/// <summary>
/// Reads CIFAR-10 binary batches (<c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>, <c>test_batch.bin</c>): records of
/// one label byte followed by 3 072 pixel bytes (1 024 red, 1 024 green, 1 024 blue, each 32×32 row-major).
/// </summary>
public static class Cifar10Loader
{
    /// <summary>Bytes per image: 3 channels of 32×32.</summary>
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>Bytes per record: the label byte and the image.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>Name of the test batch file.</summary>
    public const string TestBatchFile = "test_batch.bin";

    /// <summary>How to get the files when they are missing.</summary>
    public const string DownloadHint =
        "download cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html and extract it (the files are in cifar-10-batches-bin)";

    /// <summary>The ten class names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>
    /// Loads the training batches present among <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> (at least the first) and
    /// <c>test_batch.bin</c> from <paramref name="directory"/> or its <c>cifar-10-batches-bin</c> subdirectory:
    /// images [N, 3, 32, 32] (or [N, 3072] when <paramref name="flatten"/>) scaled to [0, 1].
    /// </summary>
    /// <exception cref="DataFormatException">A file is missing, unreadable or malformed.</exception>
    public static TrainTestData Load(string directory, bool flatten = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DataFormatException($"{directory}: directory not found; {DownloadHint}");
        }

        string nested = Path.Combine(directory, "cifar-10-batches-bin");
        if (!File.Exists(Path.Combine(directory, "data_batch_1.bin")) && Directory.Exists(nested))
        {
            directory = nested;
        }

        var trainFiles = new List<string>();
        for (int i = 1; i <= 5; i++)
        {
            string path = Path.Combine(directory, $"data_batch_{i}.bin");
            if (File.Exists(path))
            {
                trainFiles.Add(path);
            }
            else if (i == 1)
            {
                throw new DataFormatException($"{directory}: data_batch_1.bin not found; {DownloadHint}");
            }
        }

        string testPath = Path.Combine(directory, TestBatchFile);
        if (!File.Exists(testPath))
        {
            throw new DataFormatException($"{directory}: {TestBatchFile} not found; {DownloadHint}");
        }

        return new TrainTestData(LoadBatches(trainFiles, flatten), LoadBatches([testPath], flatten));
    }

    /// <summary>Loads and concatenates binary batch files (see <see cref="Load"/> for the shapes).</summary>
    /// <exception cref="DataFormatException">A file is unreadable or malformed.</exception>
    public static Dataset LoadBatches(IReadOnlyList<string> paths, bool flatten = false)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var batches = new List<byte[]>(paths.Count);
        long total = 0;
        foreach (string path in paths)
        {
            byte[] bytes = DataFiles.ReadAll(path);
            if (bytes.Length == 0)
            {
                throw DataFormatException.InFile(path, "the file is empty");
            }

            if (bytes.Length % RecordBytes != 0)
            {
                throw DataFormatException.InFile(
                    path, $"{bytes.Length} bytes is not a whole number of {RecordBytes}-byte records (truncated or not a CIFAR-10 binary batch)");
            }

            for (int offset = 0, record = 0; offset < bytes.Length; offset += RecordBytes, record++)
            {
                if (bytes[offset] >= ClassNames.Count)
                {
                    throw DataFormatException.InFile(path, $"label {bytes[offset]} of record {record} is outside [0, {ClassNames.Count})");
                }
            }

            batches.Add(bytes);
            total += bytes.Length / RecordBytes;
        }

        if (total * ImageBytes > Array.MaxLength)
        {
            throw new DataFormatException($"{paths[0]}: too many records to hold in memory ({total})");
        }

        int count = (int)total;
        Tensor features = flatten ? new Tensor(count, ImageBytes) : new Tensor(count, 3, 32, 32);
        Span<float> values = features.Span;
        var labels = new int[count];
        int index = 0;
        foreach (byte[] bytes in batches)
        {
            for (int offset = 0; offset < bytes.Length; offset += RecordBytes, index++)
            {
                labels[index] = bytes[offset];
                ReadOnlySpan<byte> pixels = bytes.AsSpan(offset + 1, ImageBytes);
                Span<float> target = values.Slice(index * ImageBytes, ImageBytes);
                for (int p = 0; p < ImageBytes; p++)
                {
                    target[p] = pixels[p] / 255f;
                }
            }
        }

        return new Dataset(features, labels, ClassNames.Count, classNames: ClassNames);
    }
}
