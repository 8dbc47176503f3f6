using System.Buffers.Binary;
using Occam.Tensors;

namespace Occam.Data;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), raw or gzip-compressed. Headers are checked against the
/// file's real size before anything the header claims is allocated.
/// </summary>
public static class IdxLoader
{
    /// <summary>Standard name of the training images file.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>Standard name of the training labels file.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>Standard name of the test images file.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>Standard name of the test labels file.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>Number of classes of MNIST-style data.</summary>
    public const int ClassCount = 10;

    private const int UnsignedByteType = 0x08;

    /// <summary>
    /// Loads the four standard files (each raw or with <c>.gz</c>) from <paramref name="directory"/>: images
    /// [N, 1, rows, cols] (or [N, rows·cols] when <paramref name="flatten"/>) scaled to [0, 1], labels in [0, 10).
    /// </summary>
    /// <param name="directory">Directory holding the files.</param>
    /// <param name="flatten">Produce flat [N, rows·cols] features instead of images.</param>
    /// <param name="classNames">Display names of the ten classes (digits when null).</param>
    /// <param name="missingHint">Appended to the error when the directory or a file is missing: how to get the data.</param>
    /// <exception cref="DataFormatException">A file is missing, unreadable or malformed.</exception>
    public static TrainTestData Load(string directory, bool flatten = false, IReadOnlyList<string>? classNames = null, string? missingHint = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DataFormatException($"{directory}: directory not found{Hint(missingHint)}");
        }

        Dataset train = LoadPair(Find(directory, TrainImagesFile, missingHint), Find(directory, TrainLabelsFile, missingHint), flatten, classNames);
        Dataset test = LoadPair(Find(directory, TestImagesFile, missingHint), Find(directory, TestLabelsFile, missingHint), flatten, classNames);
        if (!train.ExampleShape.AsSpan().SequenceEqual(test.ExampleShape))
        {
            throw new DataFormatException(
                $"{directory}: training images are [{string.Join("×", train.ExampleShape)}] but test images are [{string.Join("×", test.ExampleShape)}]");
        }

        return new TrainTestData(train, test);
    }

    /// <summary>Loads one images file and its labels file as a dataset (see <see cref="Load"/> for the shapes).</summary>
    /// <exception cref="DataFormatException">A file is unreadable or malformed, or the counts disagree.</exception>
    public static Dataset LoadPair(string imagesPath, string labelsPath, bool flatten = false, IReadOnlyList<string>? classNames = null)
    {
        byte[] labels = ReadLabels(labelsPath);
        (byte[] pixels, int count, int rows, int columns) = ReadImages(imagesPath);
        if (count != labels.Length)
        {
            throw new DataFormatException($"{imagesPath} holds {count} images but {labelsPath} holds {labels.Length} labels");
        }

        Tensor features = flatten ? new Tensor(count, rows * columns) : new Tensor(count, 1, rows, columns);
        Span<float> values = features.Span;
        for (int i = 0; i < pixels.Length; i++)
        {
            values[i] = pixels[i] / 255f;
        }

        var classes = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            classes[i] = labels[i];
        }

        return new Dataset(features, classes, ClassCount, classNames: classNames);
    }

    /// <summary>Reads an IDX1 unsigned-byte labels file; every label must lie in [0, 10).</summary>
    /// <exception cref="DataFormatException">The file is unreadable or malformed.</exception>
    public static byte[] ReadLabels(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using DataFiles.Content content = DataFiles.Open(path);
        int[] dims = ReadHeader(path, content, expectedDims: 1, "labels");
        byte[] labels = ReadPayload(path, content, dims[0], "labels");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= ClassCount)
            {
                throw DataFormatException.InFile(path, $"label {labels[i]} of item {i} is outside [0, {ClassCount})");
            }
        }

        return labels;
    }

    /// <summary>Reads an IDX3 unsigned-byte images file: the pixels (row-major, image after image) and the dimensions.</summary>
    /// <exception cref="DataFormatException">The file is unreadable or malformed.</exception>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using DataFiles.Content content = DataFiles.Open(path);
        int[] dims = ReadHeader(path, content, expectedDims: 3, "images");
        if (dims[1] == 0 || dims[2] == 0)
        {
            throw DataFormatException.InFile(path, $"images of {dims[1]}×{dims[2]} pixels are empty");
        }

        byte[] pixels = ReadPayload(path, content, (Int128)dims[0] * dims[1] * dims[2], $"images of {dims[1]}×{dims[2]} pixels");
        return (pixels, dims[0], dims[1], dims[2]);
    }

    private static string Find(string directory, string name, string? hint)
    {
        string raw = Path.Combine(directory, name);
        if (File.Exists(raw))
        {
            return raw;
        }

        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : throw new DataFormatException($"{directory}: {name} (or {name}.gz) not found{Hint(hint)}");
    }

    private static string Hint(string? hint) => string.IsNullOrEmpty(hint) ? string.Empty : "; " + hint;

    private static int[] ReadHeader(string path, DataFiles.Content content, int expectedDims, string what)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = DataFiles.ReadUpTo(path, content.Stream, magic);
        if (got == 0)
        {
            throw DataFormatException.InFile(path, "the file is empty");
        }

        if (got < 4)
        {
            throw DataFormatException.InFile(path, "truncated IDX header");
        }

        uint magicNumber = BinaryPrimitives.ReadUInt32BigEndian(magic);
        uint expectedMagic = (UnsignedByteType << 8) | (uint)expectedDims;
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw DataFormatException.InFile(path, $"not an IDX file (magic number 0x{magicNumber:x8}, expected 0x{expectedMagic:x8} for {what})");
        }

        if (magic[2] != UnsignedByteType)
        {
            throw DataFormatException.InFile(path, $"unsupported IDX element type 0x{magic[2]:x2} (only unsigned bytes, 0x08, are supported)");
        }

        if (magic[3] != expectedDims)
        {
            throw DataFormatException.InFile(path, $"IDX file has {magic[3]} dimensions but {what} need {expectedDims} (magic 0x{magicNumber:x8}, expected 0x{expectedMagic:x8})");
        }

        Span<byte> sizes = stackalloc byte[4 * expectedDims];
        if (DataFiles.ReadUpTo(path, content.Stream, sizes) < sizes.Length)
        {
            throw DataFormatException.InFile(path, "truncated IDX header");
        }

        var dims = new int[expectedDims];
        for (int i = 0; i < expectedDims; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizes[(4 * i)..]);
            if (size > int.MaxValue)
            {
                throw DataFormatException.InFile(path, $"IDX dimension {i} claims {size} entries");
            }

            dims[i] = (int)size;
        }

        if (dims[0] == 0)
        {
            throw DataFormatException.InFile(path, $"the file holds no {what}");
        }

        return dims;
    }

    private static byte[] ReadPayload(string path, DataFiles.Content content, Int128 claimed, string what)
    {
        long headerLength = content.Compressed ? 0 : content.Stream.Position;
        long available = content.MaxLength - headerLength;
        string claim = $"the header claims {claimed} bytes of {what}";
        if (claimed > available || claimed > Array.MaxLength)
        {
            throw content.Compressed
                ? DataFormatException.InFile(path, $"{claim}, more than {content.FileLength} compressed bytes can hold")
                : DataFormatException.InFile(path, $"truncated: {claim} but only {available} follow the header");
        }

        if (!content.Compressed && claimed < available)
        {
            throw DataFormatException.InFile(path, $"{claim} but {available} follow the header ({available - claimed} unexpected trailing bytes)");
        }

        var payload = new byte[(int)claimed];
        int got = DataFiles.ReadUpTo(path, content.Stream, payload);
        if (got < payload.Length)
        {
            throw DataFormatException.InFile(path, $"truncated: {claim} but the data ends after {got}");
        }

        if (content.Compressed && !DataFiles.AtEnd(path, content.Stream))
        {
            throw DataFormatException.InFile(path, $"{claim} but more data follows");
        }

        return payload;
    }
}
