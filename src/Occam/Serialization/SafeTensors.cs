using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Occam.Tensors;

namespace Occam.Serialization;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
/// tensor name to its dtype, shape and byte range, an optional string map under "__metadata__", then the raw
/// little-endian data. Every tensor given is float32; the writer stores each in the smallest lossless layout, dense F32
/// or one of the compact layouts <see cref="CompactTensors"/> documents (bit-packed 0/1 masks, compressed sparse rows
/// for pruned weights), listed in the metadata entry <see cref="LayoutKey"/> as a JSON object
/// {"NAME": {"layout": "bits" or "csr", "shape": [...]}}. The reader turns them back into the float32 tensors written
/// and reads files with only dense F32 tensors (the layout before compact storage) as they are. Files are written
/// atomically (temporary file, flush, rename).
/// </summary>
public static class SafeTensors
{
    /// <summary>The metadata key, reserved for the writer, that lists the tensors stored in a compact layout.</summary>
    public const string LayoutKey = "occam.layouts";

    private const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> (in order) and <paramref name="metadata"/> to <paramref name="path"/>, each
    /// tensor in its smallest lossless layout. <paramref name="metadata"/> may not use <see cref="LayoutKey"/>.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (metadata?.ContainsKey(LayoutKey) == true)
        {
            throw new ArgumentException($"The metadata key '{LayoutKey}' is reserved for the writer.", nameof(metadata));
        }

        var list = tensors.ToList();
        var taken = new HashSet<string>(list.Select(t => t.Key), StringComparer.Ordinal);
        var stored = new List<StoredTensor>();
        var layouts = new List<(string Name, string Layout, int[] Shape)>();
        foreach (var (name, tensor) in list)
        {
            var (layout, parts) = CompactTensors.Encode(name, tensor, taken);
            if (layout is not null)
            {
                layouts.Add((name, layout, tensor.Shape.ToArray()));
            }

            stored.AddRange(parts);
        }

        WriteStored(path, stored, WithLayouts(metadata, layouts));
    }

    /// <summary>
    /// Reads a safetensors file. Throws <see cref="InvalidDataException"/> with a one-line message naming the file
    /// for anything malformed: a header longer than the file, bad JSON, unsupported dtypes, ranges outside the data,
    /// shapes that disagree with their ranges, or compact layouts the writer could not have written.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        var (stored, metadata) = ReadStored(path);
        string file = Path.GetFileName(path);
        var layouts = metadata.Remove(LayoutKey, out string? layoutJson) ? ParseLayouts(file, layoutJson, stored) : [];

        // In the file's order, which callers may rely on (a checkpoint lists its optimiser state in order).
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, entry) in stored)
        {
            if (layouts.TryGetValue(name, out var compact))
            {
                if (!tensors.ContainsKey(compact.Name))
                {
                    var parts = Array.ConvertAll(CompactTensors.PartNames(compact.Name, compact.Layout), part => stored[part]);
                    tensors[compact.Name] = CompactTensors.Decode(file, compact.Name, compact.Layout, compact.Shape, parts);
                }

                continue;
            }

            if (entry.Dtype != "F32")
            {
                throw new InvalidDataException($"{file}: tensor '{name}' has dtype {entry.Dtype} outside a compact layout; only F32 is supported.");
            }

            if (!tensors.TryAdd(name, new Tensor(entry.Shape.Length == 0 ? [1] : entry.Shape)))
            {
                throw new InvalidDataException($"{file}: tensor '{name}' is stored twice.");
            }

            CopyFloats(entry.Data, tensors[name].Span);
        }

        return (tensors, metadata);
    }

    private static Dictionary<string, string>? WithLayouts(IReadOnlyDictionary<string, string>? metadata, List<(string Name, string Layout, int[] Shape)> layouts)
    {
        if (layouts.Count == 0)
        {
            return metadata?.ToDictionary(StringComparer.Ordinal);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, layout, shape) in layouts)
            {
                json.WriteStartObject(name);
                json.WriteString("layout", layout);
                json.WriteStartArray("shape");
                foreach (int d in shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var result = metadata?.ToDictionary(StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        result[LayoutKey] = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        return result;
    }

    /// <summary>The compact tensors <paramref name="layoutJson"/> lists, keyed by the names of their parts.</summary>
    private static Dictionary<string, (string Name, string Layout, int[] Shape)> ParseLayouts(string file, string layoutJson, Dictionary<string, StoredTensor> stored)
    {
        var byPart = new Dictionary<string, (string Name, string Layout, int[] Shape)>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(layoutJson);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                string layout = entry.Value.GetProperty("layout").GetString() ?? "";
                if (layout is not (CompactTensors.Bits or CompactTensors.Csr))
                {
                    throw new InvalidDataException($"{file}: tensor '{entry.Name}' has the unknown layout '{layout}'.");
                }

                if (stored.ContainsKey(entry.Name))
                {
                    throw new InvalidDataException($"{file}: tensor '{entry.Name}' is stored twice.");
                }

                int[] shape = ReadShape(file, entry.Name, entry.Value.GetProperty("shape"), long.MaxValue / sizeof(float), out _);
                foreach (string part in CompactTensors.PartNames(entry.Name, layout))
                {
                    if (!stored.ContainsKey(part) || !byPart.TryAdd(part, (entry.Name, layout, shape)))
                    {
                        throw new InvalidDataException($"{file}: tensor '{entry.Name}' lacks its part '{part}' or shares it.");
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{file}: malformed '{LayoutKey}' metadata ({e.GetType().Name}).", e);
        }

        return byPart;
    }

    private static void WriteStored(string path, List<StoredTensor> stored, IReadOnlyDictionary<string, string>? metadata)
    {
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
            foreach (var tensor in stored)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.Dtype);
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Data.Length;
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

            foreach (var tensor in stored)
            {
                stream.Write(tensor.Data);
            }
        });
    }

    private static (Dictionary<string, StoredTensor> Stored, Dictionary<string, string> Metadata) ReadStored(string path)
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

        var data = bytes.AsMemory(8 + (int)headerLength);
        var stored = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
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

                stored[entry.Name] = ReadEntry(name, entry, data.Span);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{name}: malformed safetensors header ({e.GetType().Name}).", e);
        }

        return (stored, metadata);
    }

    private static StoredTensor ReadEntry(string file, JsonProperty entry, ReadOnlySpan<byte> data)
    {
        var value = entry.Value;
        string dtype = value.GetProperty("dtype").GetString() ?? "";
        int size = CompactTensors.ElementSize(dtype);
        if (size == 0)
        {
            throw new InvalidDataException($"{file}: tensor '{entry.Name}' has dtype {dtype}; only F32 (and U8, U16, I32 in compact layouts) is supported.");
        }

        int[] shape = ReadShape(file, entry.Name, value.GetProperty("shape"), data.Length / size, out long count);
        var offsets = value.GetProperty("data_offsets");
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"{file}: tensor '{entry.Name}' needs data offsets [begin, end].");
        }

        long begin = offsets[0].GetInt64();
        long end = offsets[1].GetInt64();
        if (begin < 0 || end < begin || end > data.Length || end - begin != count * size)
        {
            throw new InvalidDataException($"{file}: tensor '{entry.Name}' has data offsets [{begin}, {end}) that do not fit its shape or the file.");
        }

        return new StoredTensor(entry.Name, dtype, shape, data.Slice((int)begin, (int)(end - begin)).ToArray());
    }

    /// <summary>The dimensions of <paramref name="array"/>, refused when negative or above <paramref name="maxCount"/> elements.</summary>
    private static int[] ReadShape(string file, string name, JsonElement array, long maxCount, out long count)
    {
        var shape = new List<int>();
        count = 1;
        foreach (var d in array.EnumerateArray())
        {
            int dim = d.GetInt32();
            if (dim < 0)
            {
                throw new InvalidDataException($"{file}: tensor '{name}' has a negative dimension.");
            }

            shape.Add(dim);
            count *= dim;
            if (count > maxCount || count > int.MaxValue)
            {
                throw new InvalidDataException($"{file}: tensor '{name}' is larger than the file's data.");
            }
        }

        return [.. shape];
    }

    private static void CopyFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(i * 4, 4));
        }
    }
}
