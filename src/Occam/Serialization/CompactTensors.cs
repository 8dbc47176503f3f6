using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Occam.Tensors;

namespace Occam.Serialization;

/// <summary>One tensor as stored in a safetensors file: its dtype, shape and little-endian bytes.</summary>
internal sealed record StoredTensor(string Name, string Dtype, int[] Shape, byte[] Data);

/// <summary>
/// The compact layouts <see cref="SafeTensors"/> stores a float32 tensor in when they are smaller than its dense bytes,
/// both lossless bit for bit (only +0.0 counts as zero; −0.0 and NaN are kept as values):
/// <list type="bullet">
/// <item><c>bits</c>, for a tensor holding only +0.0 and 1.0 (a pruning mask): part "NAME:bits", U8
/// [⌈n/8⌉], bit i of the flattened tensor in byte i/8 at position i mod 8 (least significant first), unused bits 0.</item>
/// <item><c>csr</c>, for a tensor with few nonzeros: the tensor seen as a matrix of shape[0] rows (1 for a vector) and
/// n/rows columns, in compressed sparse rows: "NAME:csr.values" F32 [nnz] (never +0.0), "NAME:csr.columns" U16 when
/// there are at most 65 536 columns, else I32 [nnz] (increasing within a row), "NAME:csr.rows" I32 [rows + 1]
/// (row r's entries are rows[r] ≤ k &lt; rows[r+1]; rows[0] = 0, rows[rows] = nnz).</item>
/// </list>
/// </summary>
internal static class CompactTensors
{
    /// <summary>The layout name of bit-packed 0/1 tensors.</summary>
    public const string Bits = "bits";

    /// <summary>The layout name of compressed sparse rows.</summary>
    public const string Csr = "csr";

    private const uint OneBits = 0x3F800000;

    /// <summary>
    /// The smallest lossless layout of <paramref name="tensor"/> (null for dense) and its parts. A layout whose part
    /// names are taken by <paramref name="taken"/> is not used.
    /// </summary>
    public static (string? Layout, List<StoredTensor> Parts) Encode(string name, Tensor tensor, IReadOnlySet<string> taken)
    {
        var bits = MemoryMarshal.Cast<float, uint>(tensor.Span);
        int nonzero = 0;
        bool zeroOne = true;
        foreach (uint b in bits)
        {
            if (b != 0)
            {
                nonzero++;
                zeroOne &= b == OneBits;
            }
        }

        long dense = (long)tensor.Length * sizeof(float);
        var (rows, columns) = MatrixView(tensor.Shape);
        int columnBytes = ColumnDtype(columns) == "U16" ? sizeof(ushort) : sizeof(int);
        long csr = (long)nonzero * (sizeof(float) + columnBytes) + (rows + 1L) * sizeof(int);
        long packed = zeroOne ? (tensor.Length + 7) / 8 : long.MaxValue;
        if (packed < dense && packed <= csr && !taken.Contains(name + ":" + Bits))
        {
            return (Bits, [PackBits(name, bits)]);
        }

        if (csr < dense && !taken.Contains(name + ":" + Csr + ".values") && !taken.Contains(name + ":" + Csr + ".columns") && !taken.Contains(name + ":" + Csr + ".rows"))
        {
            return (Csr, EncodeCsr(name, bits, nonzero, rows, columns));
        }

        return (null, [new StoredTensor(name, "F32", tensor.Shape.ToArray(), FloatBytes(tensor.Span))]);
    }

    /// <summary>The names of the parts <paramref name="layout"/> stores tensor <paramref name="name"/> in.</summary>
    public static string[] PartNames(string name, string layout) => layout switch
    {
        Bits => [name + ":" + Bits],
        Csr => [name + ":" + Csr + ".values", name + ":" + Csr + ".columns", name + ":" + Csr + ".rows"],
        _ => throw new ArgumentException($"unknown layout '{layout}'", nameof(layout)),
    };

    /// <summary>
    /// Rebuilds the tensor of shape <paramref name="shape"/> from its <paramref name="parts"/> (in
    /// <see cref="PartNames"/> order). Throws <see cref="InvalidDataException"/> naming <paramref name="file"/> for
    /// anything the writer could not have written.
    /// </summary>
    public static Tensor Decode(string file, string name, string layout, int[] shape, StoredTensor[] parts)
    {
        var (rows, columns) = MatrixView(shape);
        long length = (long)rows * columns;

        // Checked before allocating, so that a few bytes cannot claim a huge tensor.
        if (layout == Bits && (parts[0].Dtype != "U8" || parts[0].Shape.Length != 1 || parts[0].Data.Length != (length + 7) / 8))
        {
            throw new InvalidDataException($"{file}: the bits of '{name}' are not U8 [{(length + 7) / 8}].");
        }

        var tensor = new Tensor(shape.Length == 0 ? [1] : shape);
        var values = MemoryMarshal.Cast<float, uint>(tensor.Span);
        if (layout == Bits)
        {
            UnpackBits(file, name, parts[0], values);
        }
        else
        {
            DecodeCsr(file, name, parts, values, shape);
        }

        return tensor;
    }

    /// <summary>Bytes per element of a dtype the reader accepts, or 0 for any other.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F32" or "I32" => 4,
        "U16" => 2,
        "U8" => 1,
        _ => 0,
    };

    /// <summary>The float32 values' little-endian bytes.</summary>
    public static byte[] FloatBytes(ReadOnlySpan<float> values)
    {
        byte[] raw = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(raw);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
            }
        }

        return raw;
    }

    /// <summary>Rows and columns of the matrix view: shape[0] rows (1 for a vector or scalar), the rest as columns.</summary>
    private static (int Rows, int Columns) MatrixView(ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (int d in shape)
        {
            length *= d;
        }

        int rows = shape.Length >= 2 ? shape[0] : 1;
        return (rows, rows == 0 ? 0 : (int)(length / rows));
    }

    private static string ColumnDtype(int columns) => columns <= ushort.MaxValue + 1 ? "U16" : "I32";

    private static StoredTensor PackBits(string name, ReadOnlySpan<uint> bits)
    {
        byte[] packed = new byte[(bits.Length + 7) / 8];
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i] != 0)
            {
                packed[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return new StoredTensor(name + ":" + Bits, "U8", [packed.Length], packed);
    }

    private static void UnpackBits(string file, string name, StoredTensor part, Span<uint> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((part.Data[i >> 3] >> (i & 7)) & 1) != 0 ? OneBits : 0;
        }

        if (values.Length % 8 != 0 && part.Data[^1] >> (values.Length % 8) != 0)
        {
            throw new InvalidDataException($"{file}: the bits of '{name}' set bits past its {values.Length} entries.");
        }
    }

    private static List<StoredTensor> EncodeCsr(string name, ReadOnlySpan<uint> bits, int nonzero, int rows, int columns)
    {
        string columnDtype = ColumnDtype(columns);
        int columnBytes = columnDtype == "U16" ? sizeof(ushort) : sizeof(int);
        byte[] values = new byte[nonzero * sizeof(float)];
        byte[] columnIndex = new byte[nonzero * columnBytes];
        byte[] rowStart = new byte[(rows + 1) * sizeof(int)];
        int k = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                uint b = bits[r * columns + c];
                if (b == 0)
                {
                    continue;
                }

                BinaryPrimitives.WriteUInt32LittleEndian(values.AsSpan(k * sizeof(float)), b);
                if (columnBytes == sizeof(ushort))
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(columnIndex.AsSpan(k * columnBytes), (ushort)c);
                }
                else
                {
                    BinaryPrimitives.WriteInt32LittleEndian(columnIndex.AsSpan(k * columnBytes), c);
                }

                k++;
            }

            BinaryPrimitives.WriteInt32LittleEndian(rowStart.AsSpan((r + 1) * sizeof(int)), k);
        }

        string[] names = PartNames(name, Csr);
        return
        [
            new StoredTensor(names[0], "F32", [nonzero], values),
            new StoredTensor(names[1], columnDtype, [nonzero], columnIndex),
            new StoredTensor(names[2], "I32", [rows + 1], rowStart),
        ];
    }

    private static void DecodeCsr(string file, string name, StoredTensor[] parts, Span<uint> values, int[] shape)
    {
        var (rows, columns) = MatrixView(shape);
        var (valuePart, columnPart, rowPart) = (parts[0], parts[1], parts[2]);
        int nonzero = valuePart.Shape.Length == 1 ? valuePart.Shape[0] : -1;
        int columnBytes = ElementSize(columnPart.Dtype);
        if (valuePart.Dtype != "F32" || nonzero < 0 || nonzero > values.Length
            || columnPart.Dtype != ColumnDtype(columns) || columnPart.Shape.Length != 1 || columnPart.Shape[0] != nonzero
            || rowPart.Dtype != "I32" || rowPart.Shape.Length != 1 || rowPart.Shape[0] != rows + 1)
        {
            throw new InvalidDataException($"{file}: the sparse parts of '{name}' do not have the dtypes and shapes of its [{string.Join(", ", shape)}] layout.");
        }

        int previousEnd = 0;
        for (int r = 0; r < rows; r++)
        {
            int start = BinaryPrimitives.ReadInt32LittleEndian(rowPart.Data.AsSpan(r * sizeof(int)));
            int end = BinaryPrimitives.ReadInt32LittleEndian(rowPart.Data.AsSpan((r + 1) * sizeof(int)));
            if (start != previousEnd || end < start || end > nonzero)
            {
                throw new InvalidDataException($"{file}: the sparse row starts of '{name}' are not increasing from 0 to its {nonzero} values.");
            }

            int previousColumn = -1;
            for (int k = start; k < end; k++)
            {
                int c = columnBytes == sizeof(ushort)
                    ? BinaryPrimitives.ReadUInt16LittleEndian(columnPart.Data.AsSpan(k * columnBytes))
                    : BinaryPrimitives.ReadInt32LittleEndian(columnPart.Data.AsSpan(k * columnBytes));
                uint b = BinaryPrimitives.ReadUInt32LittleEndian(valuePart.Data.AsSpan(k * sizeof(float)));
                if (c <= previousColumn || c >= columns || b == 0)
                {
                    throw new InvalidDataException($"{file}: sparse row {r} of '{name}' has a column out of order or range, or a stored zero.");
                }

                values[r * columns + c] = b;
                previousColumn = c;
            }

            previousEnd = end;
        }

        if (previousEnd != nonzero)
        {
            throw new InvalidDataException($"{file}: the sparse rows of '{name}' hold {previousEnd} of its {nonzero} values.");
        }
    }
}
