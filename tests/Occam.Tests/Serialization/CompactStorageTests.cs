using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Occam.Layers;
using Occam.Models;
using Occam.Serialization;
using Occam.Tensors;
using Occam.Tests.Data;

namespace Occam.Tests.Serialization;

/// <summary>Masks bit-packed, pruned tensors as compressed sparse rows, old dense files still read.</summary>
public class CompactStorageTests
{
    [Fact]
    public void CompactLayoutsRoundTripBitForBit()
    {
        using var dir = new TempDir();
        var sparse = new Tensor(4, 300);
        sparse.Span[3] = -0f;
        sparse.Span[301] = float.NaN;
        sparse.Span[1199] = 2.5f;
        var mask = new Tensor(4, 300);
        for (int i = 0; i < mask.Length; i += 3)
        {
            mask.Span[i] = 1f;
        }

        var dense = Tensor.From([1f, 0f, -3f, 4f], 4);
        string path = dir.File("c.safetensors");
        SafeTensors.Write(path, [new("w", sparse), new("w.mask", mask), new("b", dense)], new Dictionary<string, string> { ["k"] = "v" });

        var (tensors, metadata) = SafeTensors.Read(path);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, metadata);
        foreach (var (name, expected) in new[] { ("w", sparse), ("w.mask", mask), ("b", dense) })
        {
            Assert.Equal(expected.Shape.ToArray(), tensors[name].Shape.ToArray());
            Assert.Equal(MemoryMarshal.Cast<float, uint>(expected.Span).ToArray(), MemoryMarshal.Cast<float, uint>(tensors[name].Span).ToArray());
        }

        var header = Header(File.ReadAllBytes(path));
        Assert.Equal("U8", header.GetProperty("w.mask:bits").GetProperty("dtype").GetString());
        Assert.Equal("U16", header.GetProperty("w:csr.columns").GetProperty("dtype").GetString());
        Assert.Equal("F32", header.GetProperty("b").GetProperty("dtype").GetString());
    }

    [Fact]
    public void AFileInTheOldDenseLayoutStillLoads()
    {
        using var dir = new TempDir();
        var model = Sequential.Create([6], 3, new Dense(5), new ReLU(), new Dense(2));
        var weight = model.Parameters[0];
        weight.Mask = new Tensor(weight.Value.Shape.ToArray());
        for (int i = 0; i < weight.Length; i++)
        {
            weight.Mask.Span[i] = i % 4 == 0 ? 1f : 0f;
        }

        MaskedValues.ZeroPruned(weight.Value.Span, weight.Mask.Span);
        var tensors = new List<(string Name, Tensor Value)>();
        foreach (var p in model.Parameters)
        {
            tensors.Add((p.Name, p.Value));
            if (p.Mask is not null)
            {
                tensors.Add((p.Name + ".mask", p.Mask));
            }
        }

        string path = dir.Write("old.safetensors", OldDenseFile(tensors, "{\"model\":\"mlp:5\"}"));
        var loaded = Sequential.Create([6], 9, new Dense(5), new ReLU(), new Dense(2));
        var metadata = ModelWeights.Load(path, loaded);

        Assert.Equal("mlp:5", metadata["model"]);
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            Assert.Equal(model.Parameters[i].Value.Span.ToArray(), loaded.Parameters[i].Value.Span.ToArray());
        }

        Assert.Equal(weight.Mask.Span.ToArray(), loaded.Parameters[0].Mask!.Span.ToArray());
    }

    [Fact]
    public void AtDensityOneTenthTheModelFileIsAtMostAQuarterOfTheDenseOne()
    {
        using var dir = new TempDir();
        var dense = Sequential.Create([784], 1, new Dense(256), new ReLU(), new Dense(10));
        var pruned = Sequential.Create([784], 1, new Dense(256), new ReLU(), new Dense(10));
        Prune(pruned, 0.1, seed: 5);
        ModelWeights.Save(dir.File("dense.safetensors"), dense);
        ModelWeights.Save(dir.File("pruned.safetensors"), pruned);

        long denseBytes = new FileInfo(dir.File("dense.safetensors")).Length;
        long prunedBytes = new FileInfo(dir.File("pruned.safetensors")).Length;
        Assert.True(prunedBytes <= denseBytes / 4, $"pruned {prunedBytes} B, dense {denseBytes} B");

        var loaded = Sequential.Create([784], 2, new Dense(256), new ReLU(), new Dense(10));
        ModelWeights.Load(dir.File("pruned.safetensors"), loaded);
        for (int i = 0; i < pruned.Parameters.Count; i++)
        {
            Assert.Equal(pruned.Parameters[i].Value.Span.ToArray(), loaded.Parameters[i].Value.Span.ToArray());
            Assert.Equal(pruned.Parameters[i].Mask?.Span.ToArray(), loaded.Parameters[i].Mask?.Span.ToArray());
        }
    }

    [Theory]
    [InlineData("columns-out-of-order")]
    [InlineData("stored-zero")]
    [InlineData("row-starts")]
    [InlineData("missing-part")]
    [InlineData("bits-past-end")]
    public void CompactPartsTheWriterCouldNotHaveWrittenAreRefused(string kind)
    {
        using var dir = new TempDir();
        var w = new Tensor(2, 40);
        w.Span[5] = 1.5f;
        w.Span[9] = -2f;
        var mask = new Tensor(3);
        mask.Span[0] = 1f;
        string path = dir.File("x.safetensors");
        SafeTensors.Write(path, [new("w", w), new("m", mask)]);
        byte[] bytes = File.ReadAllBytes(path);
        int dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Header(bytes);
        int Offset(string part) => dataStart + (int)header.GetProperty(part).GetProperty("data_offsets")[0].GetInt64();
        switch (kind)
        {
            case "columns-out-of-order":
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Offset("w:csr.columns") + 2), 5);
                break;
            case "stored-zero":
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(Offset("w:csr.values")), 0f);
                break;
            case "row-starts":
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Offset("w:csr.rows") + 4), 3);
                break;
            case "missing-part":
                int at = Encoding.UTF8.GetString(bytes).IndexOf("\"w:csr.rows\"", StringComparison.Ordinal);
                bytes[at + 3] = (byte)'X';
                break;
            default:
                bytes[Offset("m:bits")] |= 0x80;
                break;
        }

        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(dir.Write("x.safetensors", bytes)));
        Assert.StartsWith("x.safetensors: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>Keeps a random <paramref name="density"/> of each weight matrix (rank 2), as a pruned run leaves it.</summary>
    internal static void Prune(Layer model, double density, int seed)
    {
        var random = new Random(seed);
        foreach (var p in model.Parameters)
        {
            if (p.Value.Rank < 2)
            {
                continue;
            }

            p.Mask = new Tensor(p.Value.Shape.ToArray());
            for (int i = 0; i < p.Length; i++)
            {
                p.Mask.Span[i] = random.NextDouble() < density ? 1f : 0f;
            }

            MaskedValues.ZeroPruned(p.Value.Span, p.Mask.Span);
        }
    }

    private static JsonElement Header(byte[] file)
    {
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return JsonDocument.Parse(file.AsMemory(8, length)).RootElement.Clone();
    }

    /// <summary>A file as the writer wrote it before compact layouts: every tensor dense F32, masks included.</summary>
    private static byte[] OldDenseFile(List<(string Name, Tensor Value)> tensors, string metadataJson)
    {
        var header = new StringBuilder("{\"__metadata__\":").Append(metadataJson);
        long offset = 0;
        using var data = new MemoryStream();
        foreach (var (name, value) in tensors)
        {
            header.Append(",\"").Append(name).Append("\":{\"dtype\":\"F32\",\"shape\":[").AppendJoin(",", value.Shape.ToArray())
                .Append("],\"data_offsets\":[").Append(offset).Append(',').Append(offset + value.Length * 4L).Append("]}");
            offset += value.Length * 4L;
            data.Write(MemoryMarshal.AsBytes(value.Span));
        }

        byte[] json = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        byte[] file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.ToArray().CopyTo(file, 8 + json.Length);
        return file;
    }
}
