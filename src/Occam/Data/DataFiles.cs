using System.IO.Compression;

namespace Occam.Data;

/// <summary>
/// Reads data files (raw or gzip-compressed, detected by their magic bytes) with every low-level failure
/// turned into a <see cref="DataFormatException"/> and every allocation bounded by the file's size.
/// </summary>
internal static class DataFiles
{
    /// <summary>Deflate never expands more than about 1032:1, so this bounds a gzip file's honest content.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Slack for gzip headers and tiny files.</summary>
    private const long GzipSlack = 1 << 16;

    /// <summary>An open data file: its (decompressed) content stream and an upper bound on that content's length.</summary>
    internal sealed class Content(Stream stream, long maxLength, bool compressed, long fileLength) : IDisposable
    {
        public Stream Stream { get; } = stream;

        /// <summary>The exact content length for a raw file; the most a gzip file can honestly expand to.</summary>
        public long MaxLength { get; } = maxLength;

        public bool Compressed { get; } = compressed;

        public long FileLength { get; } = fileLength;

        public void Dispose() => Stream.Dispose();
    }

    /// <summary>Opens <paramref name="path"/>, decompressing on the fly when it starts with the gzip magic bytes.</summary>
    public static Content Open(string path)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            try
            {
                long length = file.Length;
                Span<byte> head = stackalloc byte[2];
                int got = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
                file.Position = 0;
                if (got == 2 && head[0] == 0x1f && head[1] == 0x8b)
                {
                    long bound = Math.Min((length * MaxDeflateRatio) + GzipSlack, Array.MaxLength);
                    return new Content(new GZipStream(file, CompressionMode.Decompress), bound, compressed: true, length);
                }

                return new Content(file, length, compressed: false, length);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            throw Failure(path, e);
        }
    }

    /// <summary>Reads as many bytes as fit in <paramref name="buffer"/>; returns how many were read (fewer only at the end).</summary>
    public static int ReadUpTo(string path, Stream stream, Span<byte> buffer)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            throw Failure(path, e);
        }
    }

    /// <summary>True when the stream has no byte left.</summary>
    public static bool AtEnd(string path, Stream stream)
    {
        Span<byte> one = stackalloc byte[1];
        return ReadUpTo(path, stream, one) == 0;
    }

    /// <summary>Reads the whole (decompressed) content of a file, refusing content larger than its bound.</summary>
    public static byte[] ReadAll(string path)
    {
        using Content content = Open(path);
        if (!content.Compressed)
        {
            if (content.FileLength > Array.MaxLength)
            {
                throw DataFormatException.InFile(path, $"the file is too large ({content.FileLength} bytes)");
            }

            var bytes = new byte[content.FileLength];
            int got = ReadUpTo(path, content.Stream, bytes);
            if (got != bytes.Length)
            {
                throw DataFormatException.InFile(path, "the file changed while it was being read");
            }

            return bytes;
        }

        using var memory = new MemoryStream();
        var chunk = new byte[1 << 16];
        while (true)
        {
            int got = ReadUpTo(path, content.Stream, chunk);
            if (got == 0)
            {
                break;
            }

            if (memory.Length + got > content.MaxLength)
            {
                throw DataFormatException.InFile(path, $"the compressed data expands beyond {content.MaxLength} bytes");
            }

            memory.Write(chunk, 0, got);
        }

        return memory.ToArray();
    }

    /// <summary>The one-line error for a file that is missing, unreadable or not valid gzip.</summary>
    public static DataFormatException Failure(string path, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => new DataFormatException($"{path}: file not found", e),
        InvalidDataException => new DataFormatException($"{path}: corrupt compressed data ({e.Message})", e),
        UnauthorizedAccessException => new DataFormatException($"{path}: permission denied", e),
        _ => new DataFormatException($"{path}: cannot read the file ({e.Message})", e),
    };

    /// <summary>Failures of the file system or the decompressor, as opposed to bugs.</summary>
    public static bool IsIoFailure(Exception e) => e is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException;
}
