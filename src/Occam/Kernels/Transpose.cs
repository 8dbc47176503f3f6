using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Occam.Kernels;

/// <summary>Out-of-place transpose of a row-major matrix, in 8 × 8 (AVX) or 4 × 4 (Vector128) register blocks.</summary>
internal static class Transpose
{
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
    /// the caller has checked the bounds. Register blocks follow <see cref="Simd.Path"/>.
    /// </summary>
    internal static void Strided(ref float source, int rows, int columns, int sourceStride, ref float target, int targetStride) =>
        Strided(BlockFor(Simd.Path), ref source, rows, columns, sourceStride, ref target, targetStride);

    /// <summary>
    /// The side of the register transpose a path runs: 8 (AVX 8×8) on the 256- and 512-bit paths, 4 (Vector128 4×4)
    /// on the 128-bit one, 0 (element by element) without vectors.
    /// </summary>
    internal static int BlockFor(SimdPath path) => path switch
    {
        SimdPath.Vector512 or SimdPath.Vector256 => 8,
        SimdPath.Vector128 => 4,
        _ => 0,
    };

    /// <summary><see cref="Strided(ref float, int, int, int, ref float, int)"/> in <paramref name="block"/>² register blocks (8, 4 or 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Strided(int block, ref float source, int rows, int columns, int sourceStride, ref float target, int targetStride)
    {
        int blockRows = block > 0 ? rows - (rows % block) : 0;
        int blockColumns = block > 0 ? columns - (columns % block) : 0;
        if (blockColumns > 0 && targetStride > sourceStride)
        {
            // Finish each target row's cache line before moving on: with a long (power-of-two) target stride the
            // rows share cache sets, and a half-written line is evicted before its other half arrives.
            for (int c = 0; c < blockColumns; c += block)
            {
                for (int r = 0; r < blockRows; r += block)
                {
                    Block(block, ref Unsafe.Add(ref source, (nint)r * sourceStride + c), sourceStride, ref Unsafe.Add(ref target, (nint)c * targetStride + r), targetStride);
                }
            }
        }
        else if (blockColumns > 0)
        {
            for (int r = 0; r < blockRows; r += block)
            {
                for (int c = 0; c < blockColumns; c += block)
                {
                    Block(block, ref Unsafe.Add(ref source, (nint)r * sourceStride + c), sourceStride, ref Unsafe.Add(ref target, (nint)c * targetStride + r), targetStride);
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

    /// <summary>One <paramref name="block"/>² register transpose (8 or 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block(int block, ref float source, int sourceStride, ref float target, int targetStride)
    {
        if (block == 8)
        {
            Block8x8(ref source, sourceStride, ref target, targetStride);
        }
        else
        {
            Block4x4(ref source, sourceStride, ref target, targetStride);
        }
    }

    /// <summary>
    /// A 4×4 transpose in four Vector128 registers (the 128-bit path's, where the 8×8 AVX one is missing on ARM64 and
    /// off under <c>DOTNET_EnableAVX2=0</c>): interleave pairs of rows by 32-bit lanes, then by 64-bit halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block4x4(ref float source, int sourceStride, ref float target, int targetStride)
    {
        var r0 = Vector128.LoadUnsafe(ref source);
        var r1 = Vector128.LoadUnsafe(ref source, (nuint)sourceStride);
        var r2 = Vector128.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        var r3 = Vector128.LoadUnsafe(ref source, (nuint)(3 * sourceStride));

        // t0 = r0₀ r1₀ r0₁ r1₁, t1 = r0₂ r1₂ r0₃ r1₃, t2 and t3 likewise for rows 2 and 3.
        var t0 = ZipLow(r0, r1);
        var t1 = ZipHigh(r0, r1);
        var t2 = ZipLow(r2, r3);
        var t3 = ZipHigh(r2, r3);
        ZipLow(t0.AsDouble(), t2.AsDouble()).AsSingle().StoreUnsafe(ref target);
        ZipHigh(t0.AsDouble(), t2.AsDouble()).AsSingle().StoreUnsafe(ref target, (nuint)targetStride);
        ZipLow(t1.AsDouble(), t3.AsDouble()).AsSingle().StoreUnsafe(ref target, (nuint)(2 * targetStride));
        ZipHigh(t1.AsDouble(), t3.AsDouble()).AsSingle().StoreUnsafe(ref target, (nuint)(3 * targetStride));
    }

    /// <summary>a₀ b₀ a₁ b₁: unpcklps on x86, zip1 on ARM64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ZipLow(Vector128<float> a, Vector128<float> b) =>
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.ZipLow(a, b)
        : Sse.IsSupported ? Sse.UnpackLow(a, b)
        : Vector128.Create(a[0], b[0], a[1], b[1]);

    /// <summary>a₂ b₂ a₃ b₃: unpckhps on x86, zip2 on ARM64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ZipHigh(Vector128<float> a, Vector128<float> b) =>
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.ZipHigh(a, b)
        : Sse.IsSupported ? Sse.UnpackHigh(a, b)
        : Vector128.Create(a[2], b[2], a[3], b[3]);

    /// <summary>a₀ b₀ (64-bit halves): unpcklpd on x86, zip1 on ARM64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> ZipLow(Vector128<double> a, Vector128<double> b) =>
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.ZipLow(a, b)
        : Sse2.IsSupported ? Sse2.UnpackLow(a, b)
        : Vector128.Create(a[0], b[0]);

    /// <summary>a₁ b₁ (64-bit halves): unpckhpd on x86, zip2 on ARM64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> ZipHigh(Vector128<double> a, Vector128<double> b) =>
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.ZipHigh(a, b)
        : Sse2.IsSupported ? Sse2.UnpackHigh(a, b)
        : Vector128.Create(a[1], b[1]);

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
