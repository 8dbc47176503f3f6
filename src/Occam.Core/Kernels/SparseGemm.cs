using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Kernels;

/// <summary>
/// Products of a sparse matrix S (a <see cref="SparsePattern"/> with values in CSR order) with dense row-major
/// matrices: C = S·B, C = Sᵀ·B, and the sampled product g = (A·Bᵀ) at S's live entries (a weight gradient for
/// live weights only). Each output row is one sequence of fused multiply-adds over the row's entries in a fixed
/// order, computed by one thread, so results do not depend on the thread count.
/// </summary>
/// <remarks>
/// The dense operands are laid out so that every live entry touches one contiguous row: a layer with a batch of
/// 32 passes its input transposed ([in, batch]), and each entry is then two 16-float fused multiply-adds.
/// </remarks>
public static unsafe class SparseGemm
{
    // Below this many multiply-adds a call runs on the calling thread: waking workers costs more.
    private const long ParallelWork = 1 << 16;

    [ThreadStatic]
    private static SparseJob? _job;

    /// <summary>C[S.Rows, n] = S · B[S.Columns, n], with row strides <paramref name="ldb"/> and <paramref name="ldc"/>.</summary>
    public static void Multiply(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> c, int ldc)
    {
        ArgumentNullException.ThrowIfNull(s);
        Check(values.Length, s.NonzeroCount, nameof(values));
        CheckMatrix(b.Length, s.Columns, n, ldb, nameof(b));
        CheckMatrix(c.Length, s.Rows, n, ldc, nameof(c));
        Run(SparseJob.Kind.Multiply, s, values, b, ldb, default, 0, c, ldc, n, accumulate: false);
    }

    /// <summary>C[S.Columns, n] = Sᵀ · B[S.Rows, n], with row strides <paramref name="ldb"/> and <paramref name="ldc"/>.</summary>
    public static void MultiplyTransposed(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> c, int ldc)
    {
        ArgumentNullException.ThrowIfNull(s);
        Check(values.Length, s.NonzeroCount, nameof(values));
        CheckMatrix(b.Length, s.Rows, n, ldb, nameof(b));
        CheckMatrix(c.Length, s.Columns, n, ldc, nameof(c));
        Run(SparseJob.Kind.MultiplyTransposed, s, values, b, ldb, default, 0, c, ldc, n, accumulate: false);
    }

    /// <summary>
    /// For every live entry k = (i, j) of S: g[k] = Σ_t A[i, t]·B[j, t] over t &lt; n (g[k] += … when
    /// <paramref name="accumulate"/>), with A [S.Rows, n] and B [S.Columns, n]. With A = dYᵀ and B = Xᵀ this is the
    /// weight gradient dW = dYᵀ·X at the live weights only, in CSR order.
    /// </summary>
    public static void SampledProduct(SparsePattern s, ReadOnlyMemory<float> a, int lda, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> g, bool accumulate)
    {
        ArgumentNullException.ThrowIfNull(s);
        CheckMatrix(a.Length, s.Rows, n, lda, nameof(a));
        CheckMatrix(b.Length, s.Columns, n, ldb, nameof(b));
        Check(g.Length, s.NonzeroCount, nameof(g));
        Run(SparseJob.Kind.Sampled, s, default, b, ldb, a, lda, g, 0, n, accumulate);
    }

    private static void Run(SparseJob.Kind kind, SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb,
        ReadOnlyMemory<float> a, int lda, Memory<float> c, int ldc, int n, bool accumulate)
    {
        var job = _job ??= new SparseJob();
        job.Set(kind, s, values, b, ldb, a, lda, c, ldc, n, accumulate);
        int threads = Parallelism.ThreadCount;
        long work = (long)s.NonzeroCount * n;
        if (threads <= 1 || work < ParallelWork)
        {
            job.Parts = 1;
            job.RunPart(0);
        }
        else
        {
            // Four parts per thread, claimed dynamically, so a thread slowed by other load hands work to the rest.
            job.Parts = 4 * threads;
            KernelWorkers.Run(job.Parts, threads, &RunPart, job.Handle);
        }

        job.Release();
    }

    private static void RunPart(nint state, int part) => ((SparseJob)GCHandle.FromIntPtr(state).Target!).RunPart(part);

    private static void Check(int length, int needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"Need {needed} entries, got {length}.", name);
        }
    }

    private static void CheckMatrix(int length, int rows, int n, int ld, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (rows > 0 && n > 0 && (ld < n || (long)(rows - 1) * ld + n > length))
        {
            throw new ArgumentException($"A [{rows}, {n}] matrix with row stride {ld} does not fit in {length} floats.", name);
        }
    }

    /// <summary>
    /// The first row of part <paramref name="part"/> of <paramref name="parts"/> when rows [0, <paramref name="rows"/>) are
    /// split so that every part holds about the same number of entries (<paramref name="start"/>: CSR or CSC starts).
    /// </summary>
    internal static int SplitRows(int[] start, int rows, int part, int parts)
    {
        if (part <= 0)
        {
            return 0;
        }

        if (part >= parts)
        {
            return rows;
        }

        long target = (long)start[rows] * part / parts;
        int index = Array.BinarySearch(start, 0, rows + 1, (int)target);
        return index >= 0 ? index : ~index;
    }

    /// <summary>
    /// out[r, :] = Σ_{k in [start[r], start[r+1])} value(k) · B[index[k], :] for rows [first, end), where value(k) is
    /// values[k], or values[map[k]] when a map is given (the CSC view reads values stored in CSR order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ProductRows(int[] start, int[] index, int[]? map, ReadOnlySpan<float> values, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, int n, int first, int end)
    {
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float cRef = ref MemoryMarshal.GetReference(c);
        ref float vRef = ref MemoryMarshal.GetReference(values);
        for (int r = first; r < end; r++)
        {
            int k0 = start[r], k1 = start[r + 1];
            ref float cRow = ref Unsafe.Add(ref cRef, (nint)r * ldc);
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                // Two (or four) entries per iteration into separate accumulators: one chain of dependent fused
                // multiply-adds would wait on the FMA latency at every entry.
                for (; j + 128 <= n; j += 128)
                {
                    // Eight independent accumulators already hide the latency; one pass streams each B row once.
                    Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    Vector512<float> a4 = default, a5 = default, a6 = default, a7 = default;
                    for (int k = k0; k < k1; k++)
                    {
                        var w = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k : map[k]));
                        ref float bRow = ref Unsafe.Add(ref bRef, (nint)index[k] * ldb + j);
                        a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow), w, a0);
                        a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 16), w, a1);
                        a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 32), w, a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 48), w, a3);
                        a4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 64), w, a4);
                        a5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 80), w, a5);
                        a6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 96), w, a6);
                        a7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 112), w, a7);
                    }

                    a0.StoreUnsafe(ref cRow, (nuint)j);
                    a1.StoreUnsafe(ref cRow, (nuint)j + 16);
                    a2.StoreUnsafe(ref cRow, (nuint)j + 32);
                    a3.StoreUnsafe(ref cRow, (nuint)j + 48);
                    a4.StoreUnsafe(ref cRow, (nuint)j + 64);
                    a5.StoreUnsafe(ref cRow, (nuint)j + 80);
                    a6.StoreUnsafe(ref cRow, (nuint)j + 96);
                    a7.StoreUnsafe(ref cRow, (nuint)j + 112);
                }

                for (; j + 64 <= n; j += 64)
                {
                    Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
                    int k = k0;
                    for (; k + 1 < k1; k += 2)
                    {
                        var w = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k : map[k]));
                        var v = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k + 1 : map[k + 1]));
                        ref float bRow = ref Unsafe.Add(ref bRef, (nint)index[k] * ldb + j);
                        ref float dRow = ref Unsafe.Add(ref bRef, (nint)index[k + 1] * ldb + j);
                        a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow), w, a0);
                        a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 16), w, a1);
                        a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 32), w, a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 48), w, a3);
                        c0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref dRow), v, c0);
                        c1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref dRow, 16), v, c1);
                        c2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref dRow, 32), v, c2);
                        c3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref dRow, 48), v, c3);
                    }

                    if (k < k1)
                    {
                        var w = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k : map[k]));
                        ref float bRow = ref Unsafe.Add(ref bRef, (nint)index[k] * ldb + j);
                        a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow), w, a0);
                        a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 16), w, a1);
                        a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 32), w, a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref bRow, 48), w, a3);
                    }

                    (a0 + c0).StoreUnsafe(ref cRow, (nuint)j);
                    (a1 + c1).StoreUnsafe(ref cRow, (nuint)j + 16);
                    (a2 + c2).StoreUnsafe(ref cRow, (nuint)j + 32);
                    (a3 + c3).StoreUnsafe(ref cRow, (nuint)j + 48);
                }

                for (; j + 16 <= n; j += 16)
                {
                    bool pair = j + 32 <= n;
                    Vector512<float> a0 = default, a1 = default, c0 = default, c1 = default;
                    Vector512<float> e0 = default, e1 = default, f0 = default, f1 = default;
                    int k = k0;
                    for (; k + 3 < k1; k += 4)
                    {
                        var w0 = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k : map[k]));
                        var w1 = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k + 1 : map[k + 1]));
                        var w2 = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k + 2 : map[k + 2]));
                        var w3 = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k + 3 : map[k + 3]));
                        ref float r0 = ref Unsafe.Add(ref bRef, (nint)index[k] * ldb + j);
                        ref float r1 = ref Unsafe.Add(ref bRef, (nint)index[k + 1] * ldb + j);
                        ref float r2 = ref Unsafe.Add(ref bRef, (nint)index[k + 2] * ldb + j);
                        ref float r3 = ref Unsafe.Add(ref bRef, (nint)index[k + 3] * ldb + j);
                        a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0), w0, a0);
                        c0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r1), w1, c0);
                        e0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r2), w2, e0);
                        f0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r3), w3, f0);
                        if (pair)
                        {
                            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, 16), w0, a1);
                            c1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r1, 16), w1, c1);
                            e1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r2, 16), w2, e1);
                            f1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r3, 16), w3, f1);
                        }
                    }

                    for (; k < k1; k++)
                    {
                        var w0 = Vector512.Create(Unsafe.Add(ref vRef, map is null ? k : map[k]));
                        ref float r0 = ref Unsafe.Add(ref bRef, (nint)index[k] * ldb + j);
                        a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0), w0, a0);
                        if (pair)
                        {
                            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, 16), w0, a1);
                        }
                    }

                    ((a0 + c0) + (e0 + f0)).StoreUnsafe(ref cRow, (nuint)j);
                    if (pair)
                    {
                        ((a1 + c1) + (e1 + f1)).StoreUnsafe(ref cRow, (nuint)j + 16);
                        j += 16;
                    }
                }
            }

            for (; j < n; j++)
            {
                float sum = 0f;
                for (int k = k0; k < k1; k++)
                {
                    sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref bRef, (nint)index[k] * ldb + j), Unsafe.Add(ref vRef, map is null ? k : map[k]), sum);
                }

                Unsafe.Add(ref cRow, j) = sum;
            }
        }
    }

    /// <summary>g[k] (+)= dot(A[r, :n], B[index[k], :n]) for the entries of rows [first, end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SampledRows(int[] start, int[] index, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> g, int n, bool accumulate, int first, int end)
    {
        ref float aRef = ref MemoryMarshal.GetReference(a);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float gRef = ref MemoryMarshal.GetReference(g);
        int vectorEnd = Vector512.IsHardwareAccelerated ? n & ~15 : 0;
        int k = start[first], kEnd = start[end];
        int r = first;
        if (Avx512F.IsSupported && vectorEnd == 32 && n == 32 && k < kEnd)
        {
            // One training batch of 32: the current row of A stays in two registers across its entries, so each
            // entry loads only its row of B.
            while (k >= start[r + 1])
            {
                r++;
            }

            var a0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref aRef, (nint)r * lda));
            var a1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref aRef, (nint)r * lda), 16);
            for (; k + 16 <= kEnd; k += 16)
            {
                var s0 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k, ref r, ref a0, ref a1);
                var s4 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 1, ref r, ref a0, ref a1);
                var s8 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 2, ref r, ref a0, ref a1);
                var s12 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 3, ref r, ref a0, ref a1);
                var s1 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 4, ref r, ref a0, ref a1);
                var s5 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 5, ref r, ref a0, ref a1);
                var s9 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 6, ref r, ref a0, ref a1);
                var s13 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 7, ref r, ref a0, ref a1);
                var s2 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 8, ref r, ref a0, ref a1);
                var s6 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 9, ref r, ref a0, ref a1);
                var s10 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 10, ref r, ref a0, ref a1);
                var s14 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 11, ref r, ref a0, ref a1);
                var s3 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 12, ref r, ref a0, ref a1);
                var s7 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 13, ref r, ref a0, ref a1);
                var s11 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 14, ref r, ref a0, ref a1);
                var s15 = EntryProducts32(start, index, ref aRef, lda, ref bRef, ldb, k + 15, ref r, ref a0, ref a1);
                StoreSixteen(SumSixteen(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15), ref gRef, k, accumulate);
            }
        }
        else if (Avx512F.IsSupported && vectorEnd > 0 && vectorEnd == n)
        {
            // Sixteen entries at a time, across row ends: their lane-wise products are reduced together by a
            // transpose-and-add tree (four shuffle levels for sixteen sums, instead of a horizontal sum per entry).
            // Entry 4q + t goes to slot q + 4t so that the tree leaves entry e in lane e.
            for (; k + 16 <= kEnd; k += 16)
            {
                var s0 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k, ref r);
                var s4 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 1, ref r);
                var s8 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 2, ref r);
                var s12 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 3, ref r);
                var s1 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 4, ref r);
                var s5 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 5, ref r);
                var s9 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 6, ref r);
                var s13 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 7, ref r);
                var s2 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 8, ref r);
                var s6 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 9, ref r);
                var s10 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 10, ref r);
                var s14 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 11, ref r);
                var s3 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 12, ref r);
                var s7 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 13, ref r);
                var s11 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 14, ref r);
                var s15 = EntryProducts(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 15, ref r);
                StoreSixteen(SumSixteen(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15), ref gRef, k, accumulate);
            }
        }

        for (; k < kEnd; k++)
        {
            while (k >= start[r + 1])
            {
                r++;
            }

            ref float aRow = ref Unsafe.Add(ref aRef, (nint)r * lda);
            ref float bRow = ref Unsafe.Add(ref bRef, (nint)index[k] * ldb);
            float sum = (vectorEnd > 0 ? ReduceLikeTree(Products(ref aRow, ref bRow, vectorEnd)) : 0f) + TailDot(ref aRow, ref bRow, vectorEnd, n);
            ref float target = ref Unsafe.Add(ref gRef, k);
            target = accumulate ? target + sum : sum;
        }
    }

    /// <summary>
    /// Lane e of the result is the lane sum of s_e — a transpose-and-add tree (four shuffle levels for sixteen sums,
    /// instead of a horizontal sum per entry) that takes entry 4q + t in slot q + 4t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SumSixteen(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3,
        Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7, Vector512<float> s8, Vector512<float> s9,
        Vector512<float> s10, Vector512<float> s11, Vector512<float> s12, Vector512<float> s13, Vector512<float> s14, Vector512<float> s15)
    {
        var e0 = FoldQuarterPairs(FoldHalves(s0, s1), FoldHalves(s2, s3));
        var e1 = FoldQuarterPairs(FoldHalves(s4, s5), FoldHalves(s6, s7));
        var e2 = FoldQuarterPairs(FoldHalves(s8, s9), FoldHalves(s10, s11));
        var e3 = FoldQuarterPairs(FoldHalves(s12, s13), FoldHalves(s14, s15));
        var g0 = Avx512F.Shuffle(e0, e1, 0x44) + Avx512F.Shuffle(e0, e1, 0xEE);
        var g1 = Avx512F.Shuffle(e2, e3, 0x44) + Avx512F.Shuffle(e2, e3, 0xEE);
        return Avx512F.Shuffle(g0, g1, 0x88) + Avx512F.Shuffle(g0, g1, 0xDD);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSixteen(Vector512<float> sums, ref float g, int k, bool accumulate)
    {
        if (accumulate)
        {
            sums += Vector512.LoadUnsafe(ref g, (nuint)k);
        }

        sums.StoreUnsafe(ref g, (nuint)k);
    }

    /// <summary>
    /// <see cref="EntryProducts"/> for n = 32 with the current row of A held in <paramref name="a0"/> and
    /// <paramref name="a1"/>, reloaded only when the entry starts a new row; the same operations in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> EntryProducts32(int[] start, int[] index, ref float aRef, int lda, ref float bRef, int ldb, int k, ref int row,
        ref Vector512<float> a0, ref Vector512<float> a1)
    {
        if (k >= start[row + 1])
        {
            do
            {
                row++;
            }
            while (k >= start[row + 1]);
            ref float aRow = ref Unsafe.Add(ref aRef, (nint)row * lda);
            a0 = Vector512.LoadUnsafe(ref aRow);
            a1 = Vector512.LoadUnsafe(ref aRow, 16);
        }

        ref float bRow = ref Unsafe.Add(ref bRef, (nint)index[k] * ldb);
        return Vector512.FusedMultiplyAdd(a1, Vector512.LoadUnsafe(ref bRow, 16), a0 * Vector512.LoadUnsafe(ref bRow));
    }

    /// <summary>The lane-wise products of entry <paramref name="k"/>, moving <paramref name="row"/> on to the entry's row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> EntryProducts(int[] start, int[] index, ref float aRef, int lda, ref float bRef, int ldb, int vectorEnd, int k, ref int row)
    {
        while (k >= start[row + 1])
        {
            row++;
        }

        return Products(ref Unsafe.Add(ref aRef, (nint)row * lda), ref Unsafe.Add(ref bRef, (nint)index[k] * ldb), vectorEnd);
    }

    /// <summary>[x.q0 + x.q2, x.q1 + x.q3, y.q0 + y.q2, y.q1 + y.q3] over 128-bit quarters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FoldHalves(Vector512<float> x, Vector512<float> y) =>
        Avx512F.Shuffle4x128(x, y, 0x44) + Avx512F.Shuffle4x128(x, y, 0xEE);

    /// <summary>[x.q0 + x.q1, x.q2 + x.q3, y.q0 + y.q1, y.q2 + y.q3] over 128-bit quarters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FoldQuarterPairs(Vector512<float> x, Vector512<float> y) =>
        Avx512F.Shuffle4x128(x, y, 0x88) + Avx512F.Shuffle4x128(x, y, 0xDD);

    /// <summary>The sum of the lanes in the order the sixteen-entry tree adds them, so every entry gets the same result on either path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ReduceLikeTree(Vector512<float> p)
    {
        var t = (p.GetLower().GetLower() + p.GetUpper().GetLower()) + (p.GetLower().GetUpper() + p.GetUpper().GetUpper());
        return (t.GetElement(0) + t.GetElement(2)) + (t.GetElement(1) + t.GetElement(3));
    }

    /// <summary>Lane-wise products a[j]·b[j] summed over the 16-float blocks below <paramref name="vectorEnd"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Products(ref float a, ref float b, int vectorEnd)
    {
        var acc = Vector512.LoadUnsafe(ref a) * Vector512.LoadUnsafe(ref b);
        if (vectorEnd == 32)
        {
            // One training batch of 32: a multiply and one fused multiply-add, no second accumulator to fold.
            return Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, 16), Vector512.LoadUnsafe(ref b, 16), acc);
        }

        var odd = Vector512<float>.Zero;
        int j = 16;
        for (; j + 32 <= vectorEnd; j += 32)
        {
            odd = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)j), Vector512.LoadUnsafe(ref b, (nuint)j), odd);
            acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)j + 16), Vector512.LoadUnsafe(ref b, (nuint)j + 16), acc);
        }

        if (j < vectorEnd)
        {
            odd = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)j), Vector512.LoadUnsafe(ref b, (nuint)j), odd);
        }

        return acc + odd;
    }

    /// <summary>Σ a[j]·b[j] for j in [<paramref name="from"/>, <paramref name="n"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float TailDot(ref float a, ref float b, int from, int n)
    {
        float sum = 0f;
        for (int j = from; j < n; j++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref a, j), Unsafe.Add(ref b, j), sum);
        }

        return sum;
    }

    /// <summary>One kernel call's operands, reused across calls on a thread so the hot path allocates nothing.</summary>
    private sealed class SparseJob
    {
        private Kind _kind;
        private SparsePattern? _pattern;
        private ReadOnlyMemory<float> _values, _a, _b;
        private Memory<float> _c;
        private int _lda, _ldb, _ldc, _n;
        private bool _accumulate;

        // One per thread for the thread's lifetime, so the handle is never freed.
        public SparseJob() => Handle = GCHandle.ToIntPtr(GCHandle.Alloc(this));

        public enum Kind
        {
            Multiply,
            MultiplyTransposed,
            Sampled,
        }

        /// <summary>A handle to this job that the worker pool passes back as its state.</summary>
        public nint Handle { get; }

        public int Parts { get; set; }

        public void Set(Kind kind, SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb,
            ReadOnlyMemory<float> a, int lda, Memory<float> c, int ldc, int n, bool accumulate)
        {
            (_kind, _pattern, _values, _b, _ldb, _a, _lda, _c, _ldc, _n, _accumulate) = (kind, s, values, b, ldb, a, lda, c, ldc, n, accumulate);
        }

        public void Release()
        {
            _pattern = null;
            _values = _a = _b = default;
            _c = default;
        }

        public void RunPart(int part)
        {
            var s = _pattern!;
            bool transposed = _kind == Kind.MultiplyTransposed;
            int[] start = transposed ? s.ColumnStartArray : s.RowStartArray;
            int rows = transposed ? s.Columns : s.Rows;
            // Split the rows so that every part holds about the same number of entries.
            int first = SplitRows(start, rows, part, Parts);
            int end = SplitRows(start, rows, part + 1, Parts);
            switch (_kind)
            {
                case Kind.Multiply:
                    ProductRows(start, s.ColumnIndexArray, null, _values.Span, _b.Span, _ldb, _c.Span, _ldc, _n, first, end);
                    break;
                case Kind.MultiplyTransposed:
                    ProductRows(start, s.RowIndexArray, s.CsrPositionArray, _values.Span, _b.Span, _ldb, _c.Span, _ldc, _n, first, end);
                    break;
                default:
                    SampledRows(start, s.ColumnIndexArray, _a.Span, _lda, _b.Span, _ldb, _c.Span, _n, _accumulate, first, end);
                    break;
            }
        }
    }
}
