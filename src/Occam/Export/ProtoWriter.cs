using System.Buffers.Binary;
using System.Text;

namespace Occam.Export;

/// <summary>
/// The protocol-buffers wire format, just enough to write ONNX: varints, 64-bit integers, 32-bit floats and
/// length-delimited fields (strings, bytes, nested messages). A nested message is written into its own writer
/// first, so its length is known when it is embedded.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintType = 0;
    private const int Fixed32Type = 5;
    private const int LengthDelimitedType = 2;

    private readonly MemoryStream _buffer = new();

    /// <summary>Bytes written so far.</summary>
    public long Length => _buffer.Length;

    /// <summary>Writes an int64 (or int32, enum or bool) field as a varint; negative values take ten bytes, as protobuf requires.</summary>
    public ProtoWriter Int64(int field, long value)
    {
        Tag(field, VarintType);
        Varint(unchecked((ulong)value));
        return this;
    }

    /// <summary>Writes a float field (fixed 32 bits, little-endian).</summary>
    public ProtoWriter Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>Writes a UTF-8 string field.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a bytes field.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedType);
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>Embeds <paramref name="message"/> as a length-delimited field.</summary>
    public ProtoWriter Message(int field, ProtoWriter message)
    {
        Tag(field, LengthDelimitedType);
        Varint((ulong)message._buffer.Length);
        message._buffer.Position = 0;
        message._buffer.CopyTo(_buffer);
        return this;
    }

    /// <summary>Copies the encoded message to <paramref name="stream"/>.</summary>
    public void CopyTo(Stream stream)
    {
        _buffer.Position = 0;
        _buffer.CopyTo(stream);
    }

    /// <summary>The encoded message.</summary>
    public byte[] ToArray() => _buffer.ToArray();

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
