using System.Buffers.Binary;
using System.IO.Compression;
using Occam.Data;

namespace Occam.Tests.Data;

/// <summary>A temporary directory, deleted on dispose, with writers for tiny data files.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "occam-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteText(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}

internal static class DataFixtures
{
    /// <summary>Pixel value of image i at position p: deterministic and covering 0..255.</summary>
    public static byte Pixel(int image, int position) => (byte)(((image * 31) + (position * 7)) % 256);

    public static byte[] IdxImages(int count, int rows = 28, int columns = 28, int? claimedCount = null)
    {
        var bytes = new byte[16 + (count * rows * columns)];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x00000803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), claimedCount ?? count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (int i = 0; i < count; i++)
        {
            for (int p = 0; p < rows * columns; p++)
            {
                bytes[16 + (i * rows * columns) + p] = Pixel(i, p);
            }
        }

        return bytes;
    }

    public static byte[] IdxLabels(int count, int? claimedCount = null)
    {
        var bytes = new byte[8 + count];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), claimedCount ?? count);
        for (int i = 0; i < count; i++)
        {
            bytes[8 + i] = (byte)(i % 10);
        }

        return bytes;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gzip.Write(raw);
        }

        return memory.ToArray();
    }

    /// <summary>Writes the four standard IDX files (train 12 images, test 5), gzip-compressed or raw.</summary>
    public static void WriteIdxSet(TempDir dir, bool gzip, int rows = 28, int columns = 28)
    {
        void Put(string name, byte[] raw)
        {
            if (gzip)
            {
                dir.Write(name + ".gz", Gzip(raw));
            }
            else
            {
                dir.Write(name, raw);
            }
        }

        Put(IdxLoader.TrainImagesFile, IdxImages(12, rows, columns));
        Put(IdxLoader.TrainLabelsFile, IdxLabels(12));
        Put(IdxLoader.TestImagesFile, IdxImages(5, rows, columns));
        Put(IdxLoader.TestLabelsFile, IdxLabels(5));
    }

    public static byte[] CifarBatch(int records, int firstLabel = 0)
    {
        var bytes = new byte[records * Cifar10Loader.RecordBytes];
        for (int r = 0; r < records; r++)
        {
            int offset = r * Cifar10Loader.RecordBytes;
            bytes[offset] = (byte)((firstLabel + r) % 10);
            for (int p = 0; p < Cifar10Loader.ImageBytes; p++)
            {
                bytes[offset + 1 + p] = Pixel(r, p);
            }
        }

        return bytes;
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
