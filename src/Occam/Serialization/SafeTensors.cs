using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Occam.Tensors;

namespace Occam.Serialization;

/// <summary>
/// Reads and writes the safetensors format (float32 only): an 8-byte little-endian header length, a JSON header
/// mapping each tensor name to its dtype, shape and byte range, an optional string map under "__metadata__",
/// then the raw little-endian data. Files are written atomically (temporary file, flush, rename).
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (in order) and <paramref name="metadata"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        using var headerStream = new MemoryStream();
        using (var json = new Utf8JsonWriter(headerStream))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in list)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Length * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // The data must start 8-byte aligned: pad the header with spaces, as the reference implementation does.
        int padding = (int)((8 - headerStream.Length % 8) % 8);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)(headerStream.Length + padding));
            stream.Write(lengthBytes);
            headerStream.Position = 0;
            headerStream.CopyTo(stream);
            for (int i = 0; i < padding; i++)
            {
                stream.WriteByte((byte)' ');
            }

            foreach (var (_, tensor) in list)
            {
                WriteLittleEndian(stream, tensor.Span);
            }
        });
    }

    /// <summary>
    /// Reads a safetensors file. Throws <see cref="InvalidDataException"/> with a one-line message naming the file
    /// for anything malformed: a header longer than the file, bad JSON, unsupported dtypes, ranges outside the data,
    /// or shapes that disagree with their ranges.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        string name = Path.GetFileName(path);
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"{name}: not a safetensors file (shorter than its 8-byte header length).");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InvalidDataException($"{name}: header claims {headerLength} bytes but the file holds {bytes.Length - 8}.");
        }

        var data = bytes.AsSpan(8 + (int)headerLength);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{name}: header is not a JSON object.");
            }

            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    foreach (var m in entry.Value.EnumerateObject())
                    {
                        metadata[m.Name] = m.Value.GetString() ?? "";
                    }

                    continue;
                }

                tensors[entry.Name] = ReadTensor(name, entry, data);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{name}: malformed safetensors header ({e.GetType().Name}).", e);
        }

        return (tensors, metadata);
    }

    private static Tensor ReadTensor(string file, JsonProperty entry, ReadOnlySpan<byte> data)
    {
        var value = entry.Value;
        string dtype = value.GetProperty("dtype").GetString() ?? "";
        if (dtype != "F32")
        {
            throw new InvalidDataException($"{file}: tensor '{entry.Name}' has dtype {dtype}; only F32 is supported.");
        }

        var shape = new List<int>();
        long count = 1;
        foreach (var d in value.GetProperty("shape").EnumerateArray())
        {
            int dim = d.GetInt32();
            if (dim < 0)
            {
                throw new InvalidDataException($"{file}: tensor '{entry.Name}' has a negative dimension.");
            }

            shape.Add(dim);
            count *= dim;
            if (count * sizeof(float) > data.Length)
            {
                throw new InvalidDataException($"{file}: tensor '{entry.Name}' is larger than the file's data.");
            }
        }

        var offsets = value.GetProperty("data_offsets");
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"{file}: tensor '{entry.Name}' needs data offsets [begin, end].");
        }

        long begin = offsets[0].GetInt64();
        long end = offsets[1].GetInt64();
        if (begin < 0 || end < begin || end > data.Length || end - begin != count * sizeof(float))
        {
            throw new InvalidDataException($"{file}: tensor '{entry.Name}' has data offsets [{begin}, {end}) that do not fit its shape or the file.");
        }

        var tensor = new Tensor(shape.Count == 0 ? [1] : [.. shape]);
        var source = data.Slice((int)begin, (int)(end - begin));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(source).CopyTo(tensor.Span);
        }
        else
        {
            for (int i = 0; i < tensor.Length; i++)
            {
                tensor.Span[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(i * 4, 4));
            }
        }

        return tensor;
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        Span<byte> buffer = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
            stream.Write(buffer);
        }
    }
}
