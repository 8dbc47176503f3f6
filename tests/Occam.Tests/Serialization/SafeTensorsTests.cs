using System.Buffers.Binary;
using Occam.Layers;
using Occam.Models;
using Occam.Serialization;
using Occam.Tensors;

namespace Occam.Tests.Serialization;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("occam-st").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RoundTripsTensorsAndMetadata()
    {
        string path = Path.Combine(_dir, "a.safetensors");
        var t = Tensor.From([1f, -2f, 3.5f, 0f, 5f, 6f], 2, 3);
        SafeTensors.Write(path, [new("w", t)], new Dictionary<string, string> { ["model"] = "mlp:4" });
        var (tensors, metadata) = SafeTensors.Read(path);
        Assert.Equal([2, 3], tensors["w"].Shape.ToArray());
        Assert.Equal(t.Span.ToArray(), tensors["w"].Span.ToArray());
        Assert.Equal("mlp:4", metadata["model"]);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(path));
        Assert.Equal(0, (8 + headerLength) % 8);
    }

    [Fact]
    public void ModelWeightsRestoreParametersAndMasks()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        var model = Sequential.Create([4], 1, new Dense(3), new ReLU(), new Dense(2));
        var weight = model.Parameters[0];
        weight.Mask = new Tensor(weight.Value.Shape.ToArray());
        weight.Mask.Span.Fill(1f);
        weight.Mask.Span[0] = 0f;
        weight.Value.Span[0] = 0f;
        ModelWeights.Save(path, model);

        var other = Sequential.Create([4], 2, new Dense(3), new ReLU(), new Dense(2));
        ModelWeights.Load(path, other);
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            Assert.Equal(model.Parameters[i].Value.Span.ToArray(), other.Parameters[i].Value.Span.ToArray());
        }

        Assert.Equal(weight.Mask.Span.ToArray(), other.Parameters[0].Mask!.Span.ToArray());
    }

    [Fact]
    public void AMaskThatContradictsItsWeightsIsRefused()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        var model = Sequential.Create([4], 1, new Dense(3), new ReLU(), new Dense(2));
        var weight = model.Parameters[0];
        weight.Mask = new Tensor(weight.Value.Shape.ToArray());
        Assert.NotEqual(0f, weight.Value.Span[1]);
        ModelWeights.Save(path, model);

        var error = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(path, Sequential.Create([4], 2, new Dense(3), new ReLU(), new Dense(2))));
        Assert.Contains("mask of '0.weight' marks 12 weights pruned that are not zero", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("header-too-long")]
    [InlineData("bad-json")]
    [InlineData("offsets-outside")]
    public void RejectsMalformedFiles(string kind)
    {
        string path = Path.Combine(_dir, kind + ".safetensors");
        byte[] bytes = kind switch
        {
            "short" => [1, 2, 3],
            "header-too-long" => Header(1_000_000, "{}"),
            "bad-json" => Header(5, "{\"w\":"),
            _ => Header(null, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"),
        };
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.Contains(kind + ".safetensors", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static byte[] Header(long? claimedLength, string json)
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(json);
        byte[] bytes = new byte[8 + text.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, claimedLength ?? text.Length);
        text.CopyTo(bytes, 8);
        return bytes;
    }
}
