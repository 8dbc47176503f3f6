using System.Runtime.CompilerServices;

namespace Occam.Kernels;

/// <summary>
/// One output row of a sparse-times-dense product, target[j] = b + Σ_k value(k) · source[index[k] · stride + j], for
/// the columns of <c>vectors</c> vectors: blocks of eight, four, two or one vectors, each one pass over the row's
/// entries. At most eight accumulators, so a block fits the sixteen registers of AVX2 and SSE next to the broadcast
/// weight and the loaded rows; narrower blocks take two or four entries per iteration into separate accumulators,
/// because one chain of dependent fused multiply-adds would wait on the FMA latency at every entry. value(k) is
/// value[k], or value[map[k]] when a map is given (the CSC view reads values stored in CSR order).
/// </summary>
internal static class SparseRowBlocks
{
    /// <summary>Writes the row's first Count · <paramref name="vectors"/> columns to <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row<TSimd, TVector>(int k0, int k1, int[] index, int[]? map, ref float value, ref float source, nint stride, int vectors,
        TVector b, ref float target)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int c = TSimd.Count;
        int v = 0;
        for (; v + 8 <= vectors; v += 8)
        {
            Eight<TSimd, TVector>(k0, k1, index, map, ref value, ref Unsafe.Add(ref source, v * c), stride, b, ref Unsafe.Add(ref target, v * c));
        }

        if (v + 4 <= vectors)
        {
            Four<TSimd, TVector>(k0, k1, index, map, ref value, ref Unsafe.Add(ref source, v * c), stride, b, ref Unsafe.Add(ref target, v * c));
            v += 4;
        }

        if (v + 2 <= vectors)
        {
            Pair<TSimd, TVector>(k0, k1, index, map, ref value, ref Unsafe.Add(ref source, v * c), stride, b, ref Unsafe.Add(ref target, v * c));
            v += 2;
        }

        if (v < vectors)
        {
            Single<TSimd, TVector>(k0, k1, index, map, ref value, ref Unsafe.Add(ref source, v * c), stride, b, ref Unsafe.Add(ref target, v * c));
        }
    }

    /// <summary>Eight vectors of one output row, one entry per iteration: eight independent accumulators already hide the FMA latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Eight<TSimd, TVector>(int k0, int k1, int[] index, int[]? map, ref float value, ref float source, nint stride, TVector b, ref float target)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int c = TSimd.Count;
        TVector a0 = default, a1 = default, a2 = default, a3 = default;
        TVector a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = k0; k < k1; k++)
        {
            var w = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k : map[k]));
            ref float x = ref Unsafe.Add(ref source, index[k] * stride);
            a0 = TSimd.MultiplyAdd(TSimd.Load(ref x, 0), w, a0);
            a1 = TSimd.MultiplyAdd(TSimd.Load(ref x, (nuint)c), w, a1);
            a2 = TSimd.MultiplyAdd(TSimd.Load(ref x, (nuint)(2 * c)), w, a2);
            a3 = TSimd.MultiplyAdd(TSimd.Load(ref x, (nuint)(3 * c)), w, a3);
            a4 = TSimd.MultiplyAdd(TSimd.Load(ref x, (nuint)(4 * c)), w, a4);
            a5 = TSimd.MultiplyAdd(TSimd.Load(ref x, (nuint)(5 * c)), w, a5);
            a6 = TSimd.MultiplyAdd(TSimd.Load(ref x, (nuint)(6 * c)), w, a6);
            a7 = TSimd.MultiplyAdd(TSimd.Load(ref x, (nuint)(7 * c)), w, a7);
        }

        TSimd.Store(TSimd.Add(a0, b), ref target, 0);
        TSimd.Store(TSimd.Add(a1, b), ref target, (nuint)c);
        TSimd.Store(TSimd.Add(a2, b), ref target, (nuint)(2 * c));
        TSimd.Store(TSimd.Add(a3, b), ref target, (nuint)(3 * c));
        TSimd.Store(TSimd.Add(a4, b), ref target, (nuint)(4 * c));
        TSimd.Store(TSimd.Add(a5, b), ref target, (nuint)(5 * c));
        TSimd.Store(TSimd.Add(a6, b), ref target, (nuint)(6 * c));
        TSimd.Store(TSimd.Add(a7, b), ref target, (nuint)(7 * c));
    }

    /// <summary>Four vectors of one output row, two entries per iteration into separate accumulators (eight in all).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Four<TSimd, TVector>(int k0, int k1, int[] index, int[]? map, ref float value, ref float source, nint stride, TVector b, ref float target)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int c = TSimd.Count;
        TVector a0 = default, a1 = default, a2 = default, a3 = default;
        TVector e0 = default, e1 = default, e2 = default, e3 = default;
        int k = k0;
        for (; k + 1 < k1; k += 2)
        {
            var w0 = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k : map[k]));
            var w1 = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k + 1 : map[k + 1]));
            ref float x0 = ref Unsafe.Add(ref source, index[k] * stride);
            ref float x1 = ref Unsafe.Add(ref source, index[k + 1] * stride);
            a0 = TSimd.MultiplyAdd(TSimd.Load(ref x0, 0), w0, a0);
            a1 = TSimd.MultiplyAdd(TSimd.Load(ref x0, (nuint)c), w0, a1);
            a2 = TSimd.MultiplyAdd(TSimd.Load(ref x0, (nuint)(2 * c)), w0, a2);
            a3 = TSimd.MultiplyAdd(TSimd.Load(ref x0, (nuint)(3 * c)), w0, a3);
            e0 = TSimd.MultiplyAdd(TSimd.Load(ref x1, 0), w1, e0);
            e1 = TSimd.MultiplyAdd(TSimd.Load(ref x1, (nuint)c), w1, e1);
            e2 = TSimd.MultiplyAdd(TSimd.Load(ref x1, (nuint)(2 * c)), w1, e2);
            e3 = TSimd.MultiplyAdd(TSimd.Load(ref x1, (nuint)(3 * c)), w1, e3);
        }

        if (k < k1)
        {
            var w0 = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k : map[k]));
            ref float x0 = ref Unsafe.Add(ref source, index[k] * stride);
            a0 = TSimd.MultiplyAdd(TSimd.Load(ref x0, 0), w0, a0);
            a1 = TSimd.MultiplyAdd(TSimd.Load(ref x0, (nuint)c), w0, a1);
            a2 = TSimd.MultiplyAdd(TSimd.Load(ref x0, (nuint)(2 * c)), w0, a2);
            a3 = TSimd.MultiplyAdd(TSimd.Load(ref x0, (nuint)(3 * c)), w0, a3);
        }

        TSimd.Store(TSimd.Add(TSimd.Add(a0, e0), b), ref target, 0);
        TSimd.Store(TSimd.Add(TSimd.Add(a1, e1), b), ref target, (nuint)c);
        TSimd.Store(TSimd.Add(TSimd.Add(a2, e2), b), ref target, (nuint)(2 * c));
        TSimd.Store(TSimd.Add(TSimd.Add(a3, e3), b), ref target, (nuint)(3 * c));
    }

    /// <summary>Two vectors of one output row, four entries per iteration into separate accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair<TSimd, TVector>(int k0, int k1, int[] index, int[]? map, ref float value, ref float source, nint stride, TVector b, ref float target)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int c = TSimd.Count;
        TVector a0 = default, a1 = default, c0 = default, c1 = default;
        TVector e0 = default, e1 = default, f0 = default, f1 = default;
        int k = k0;
        for (; k + 3 < k1; k += 4)
        {
            var w0 = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k : map[k]));
            var w1 = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k + 1 : map[k + 1]));
            var w2 = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k + 2 : map[k + 2]));
            var w3 = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k + 3 : map[k + 3]));
            ref float x0 = ref Unsafe.Add(ref source, index[k] * stride);
            ref float x1 = ref Unsafe.Add(ref source, index[k + 1] * stride);
            ref float x2 = ref Unsafe.Add(ref source, index[k + 2] * stride);
            ref float x3 = ref Unsafe.Add(ref source, index[k + 3] * stride);
            a0 = TSimd.MultiplyAdd(TSimd.Load(ref x0, 0), w0, a0);
            a1 = TSimd.MultiplyAdd(TSimd.Load(ref x0, (nuint)c), w0, a1);
            c0 = TSimd.MultiplyAdd(TSimd.Load(ref x1, 0), w1, c0);
            c1 = TSimd.MultiplyAdd(TSimd.Load(ref x1, (nuint)c), w1, c1);
            e0 = TSimd.MultiplyAdd(TSimd.Load(ref x2, 0), w2, e0);
            e1 = TSimd.MultiplyAdd(TSimd.Load(ref x2, (nuint)c), w2, e1);
            f0 = TSimd.MultiplyAdd(TSimd.Load(ref x3, 0), w3, f0);
            f1 = TSimd.MultiplyAdd(TSimd.Load(ref x3, (nuint)c), w3, f1);
        }

        for (; k < k1; k++)
        {
            var w0 = TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k : map[k]));
            ref float x0 = ref Unsafe.Add(ref source, index[k] * stride);
            a0 = TSimd.MultiplyAdd(TSimd.Load(ref x0, 0), w0, a0);
            a1 = TSimd.MultiplyAdd(TSimd.Load(ref x0, (nuint)c), w0, a1);
        }

        TSimd.Store(TSimd.Add(TSimd.Add(TSimd.Add(a0, c0), TSimd.Add(e0, f0)), b), ref target, 0);
        TSimd.Store(TSimd.Add(TSimd.Add(TSimd.Add(a1, c1), TSimd.Add(e1, f1)), b), ref target, (nuint)c);
    }

    /// <summary>One vector of one output row, as <see cref="Pair{TSimd, TVector}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Single<TSimd, TVector>(int k0, int k1, int[] index, int[]? map, ref float value, ref float source, nint stride, TVector b, ref float target)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        TVector a0 = default, c0 = default, e0 = default, f0 = default;
        int k = k0;
        for (; k + 3 < k1; k += 4)
        {
            a0 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref source, index[k] * stride), 0), TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k : map[k])), a0);
            c0 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref source, index[k + 1] * stride), 0), TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k + 1 : map[k + 1])), c0);
            e0 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref source, index[k + 2] * stride), 0), TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k + 2 : map[k + 2])), e0);
            f0 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref source, index[k + 3] * stride), 0), TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k + 3 : map[k + 3])), f0);
        }

        for (; k < k1; k++)
        {
            a0 = TSimd.MultiplyAdd(TSimd.Load(ref Unsafe.Add(ref source, index[k] * stride), 0), TSimd.Broadcast(Unsafe.Add(ref value, map is null ? k : map[k])), a0);
        }

        TSimd.Store(TSimd.Add(TSimd.Add(TSimd.Add(a0, c0), TSimd.Add(e0, f0)), b), ref target, 0);
    }
}
