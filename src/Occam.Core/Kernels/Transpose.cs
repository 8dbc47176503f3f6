using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Kernels;

/// <summary>Out-of-place transpose of a row-major matrix, in 8 × 8 register blocks where AVX is available.</summary>
public static class Transpose
{
    private const int Block = 8;

    /// <summary>Writes the [columns, rows] transpose of the row-major [rows, columns] <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static void Matrix(ReadOnlySpan<float> source, int rows, int columns, Span<float> target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long length = (long)rows * columns;
        if (source.Length < length || target.Length < length)
        {
            throw new ArgumentException($"A [{rows}, {columns}] transpose needs {length} floats on both sides.");
        }

        Strided(ref MemoryMarshal.GetReference(source), rows, columns, columns, ref MemoryMarshal.GetReference(target), rows);
    }

    /// <summary>
    /// target[c·targetStride + r] = source[r·sourceStride + c] for r &lt; <paramref name="rows"/>, c &lt; <paramref name="columns"/>;
    /// the caller has checked the bounds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Strided(ref float source, int rows, int columns, int sourceStride, ref float target, int targetStride)
    {
        int blockRows = Avx.IsSupported ? rows - (rows % Block) : 0;
        int blockColumns = Avx.IsSupported ? columns - (columns % Block) : 0;
        if (blockColumns > 0 && targetStride > sourceStride)
        {
            // Finish each target row's cache line before moving on: with a long (power-of-two) target stride the
            // rows share cache sets, and a half-written line is evicted before its other half arrives.
            for (int c = 0; c < blockColumns; c += Block)
            {
                for (int r = 0; r < blockRows; r += Block)
                {
                    Block8x8(ref Unsafe.Add(ref source, (nint)r * sourceStride + c), sourceStride, ref Unsafe.Add(ref target, (nint)c * targetStride + r), targetStride);
                }
            }
        }
        else if (blockColumns > 0)
        {
            for (int r = 0; r < blockRows; r += Block)
            {
                for (int c = 0; c < blockColumns; c += Block)
                {
                    Block8x8(ref Unsafe.Add(ref source, (nint)r * sourceStride + c), sourceStride, ref Unsafe.Add(ref target, (nint)c * targetStride + r), targetStride);
                }
            }
        }

        // The edges: columns right of the blocks for every row, then rows below the blocks.
        for (int r = 0; r < rows; r++)
        {
            int from = r < blockRows ? blockColumns : 0;
            for (int c = from; c < columns; c++)
            {
                Unsafe.Add(ref target, (nint)c * targetStride + r) = Unsafe.Add(ref source, (nint)r * sourceStride + c);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block8x8(ref float source, int sourceStride, ref float target, int targetStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        var r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        var r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        var r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        var r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        var r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        var r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride));
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref target, (nuint)targetStride);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref target, (nuint)(2 * targetStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref target, (nuint)(3 * targetStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref target, (nuint)(4 * targetStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref target, (nuint)(5 * targetStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref target, (nuint)(6 * targetStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref target, (nuint)(7 * targetStride));
    }
}
