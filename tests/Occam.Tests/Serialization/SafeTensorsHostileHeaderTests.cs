using Occam.Serialization;
using Occam.Tests.Data;

namespace Occam.Tests.Serialization;

/// <summary>Headers that are valid JSON but not valid safetensors fail with a one-line <see cref="InvalidDataException"/>.</summary>
public class SafeTensorsHostileHeaderTests
{
    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[]}}")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}}")]
    [InlineData("{\"a\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"a\":[1]}")]
    [InlineData("{\"__metadata__\":{\"k\":[1]}}")]
    [InlineData("{\"__metadata__\":[1]}")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536],\"data_offsets\":[0,4]}}")]
    public void MalformedHeadersAreInvalidData(string header)
    {
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header);
        byte[] file = new byte[8 + json.Length + 4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        using var dir = new TempDir();
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(dir.Write("x.safetensors", file)));
        Assert.DoesNotContain('\n', error.Message);
    }
}
