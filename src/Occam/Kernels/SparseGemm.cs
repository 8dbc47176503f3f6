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
/// 32 passes its input transposed ([in, batch]), and each entry is then two 16-float fused multiply-adds (four of 8
/// floats on AVX2, eight of 4 on 128-bit vectors).
/// </remarks>
internal static unsafe class SparseGemm
{
    // Below this many multiply-adds a call runs on the calling thread: waking workers costs more.
    private const long ParallelWork = 1 << 16;

    [ThreadStatic]
    private static SparseJob? _job;

    /// <summary>C[S.Rows, n] = S · B[S.Columns, n], with row strides <paramref name="ldb"/> and <paramref name="ldc"/>.</summary>
    public static void Multiply(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> c, int ldc) =>
        MultiplyOn(s, values, b, ldb, n, c, ldc, Simd.Path);

    /// <summary><see cref="Multiply(SparsePattern, ReadOnlyMemory{float}, ReadOnlyMemory{float}, int, int, Memory{float}, int)"/> on the vectors of <paramref name="path"/>.</summary>
    internal static void MultiplyOn(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> c, int ldc, SimdPath path)
    {
        ArgumentNullException.ThrowIfNull(s);
        Check(values.Length, s.NonzeroCount, nameof(values));
        CheckMatrix(b.Length, s.Columns, n, ldb, nameof(b));
        CheckMatrix(c.Length, s.Rows, n, ldc, nameof(c));
        Run(SparseJob.Kind.Multiply, s, values, b, ldb, default, 0, c, ldc, n, accumulate: false, path);
    }

    /// <summary>C[S.Columns, n] = Sᵀ · B[S.Rows, n], with row strides <paramref name="ldb"/> and <paramref name="ldc"/>.</summary>
    public static void MultiplyTransposed(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> c, int ldc) =>
        MultiplyTransposedOn(s, values, b, ldb, n, c, ldc, Simd.Path);

    /// <summary><see cref="MultiplyTransposed(SparsePattern, ReadOnlyMemory{float}, ReadOnlyMemory{float}, int, int, Memory{float}, int)"/> on the vectors of <paramref name="path"/>.</summary>
    internal static void MultiplyTransposedOn(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> c, int ldc, SimdPath path)
    {
        ArgumentNullException.ThrowIfNull(s);
        Check(values.Length, s.NonzeroCount, nameof(values));
        CheckMatrix(b.Length, s.Rows, n, ldb, nameof(b));
        CheckMatrix(c.Length, s.Columns, n, ldc, nameof(c));
        Run(SparseJob.Kind.MultiplyTransposed, s, values, b, ldb, default, 0, c, ldc, n, accumulate: false, path);
    }

    /// <summary>
    /// For every live entry k = (i, j) of S: g[k] = Σ_t A[i, t]·B[j, t] over t &lt; n (g[k] += … when
    /// <paramref name="accumulate"/>), with A [S.Rows, n] and B [S.Columns, n]. With A = dYᵀ and B = Xᵀ this is the
    /// weight gradient dW = dYᵀ·X at the live weights only, in CSR order.
    /// </summary>
    public static void SampledProduct(SparsePattern s, ReadOnlyMemory<float> a, int lda, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> g, bool accumulate) =>
        SampledProductOn(s, a, lda, b, ldb, n, g, accumulate, Simd.Path);

    /// <summary><see cref="SampledProduct(SparsePattern, ReadOnlyMemory{float}, int, ReadOnlyMemory{float}, int, int, Memory{float}, bool)"/> on the vectors of <paramref name="path"/>.</summary>
    internal static void SampledProductOn(SparsePattern s, ReadOnlyMemory<float> a, int lda, ReadOnlyMemory<float> b, int ldb, int n, Memory<float> g, bool accumulate,
        SimdPath path)
    {
        ArgumentNullException.ThrowIfNull(s);
        CheckMatrix(a.Length, s.Rows, n, lda, nameof(a));
        CheckMatrix(b.Length, s.Columns, n, ldb, nameof(b));
        Check(g.Length, s.NonzeroCount, nameof(g));
        Run(SparseJob.Kind.Sampled, s, default, b, ldb, a, lda, g, 0, n, accumulate, path);
    }

    private static void Run(SparseJob.Kind kind, SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> b, int ldb,
        ReadOnlyMemory<float> a, int lda, Memory<float> c, int ldc, int n, bool accumulate, SimdPath path)
    {
        if (!Simd.Supports(path))
        {
            throw new ArgumentOutOfRangeException(nameof(path), path, $"This process runs up to {Simd.Path}.");
        }

        var job = _job ??= new SparseJob();
        job.Set(kind, s, values, b, ldb, a, lda, c, ldc, n, accumulate, path);
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
    /// values[k], or values[map[k]] when a map is given (the CSC view reads values stored in CSR order), on
    /// <paramref name="path"/>'s vectors.
    /// </summary>
    internal static void ProductRows(SimdPath path, int[] start, int[] index, int[]? map, ReadOnlySpan<float> values, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, int n, int first, int end)
    {
        ref float v = ref MemoryMarshal.GetReference(values);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float cRef = ref MemoryMarshal.GetReference(c);
        switch (path)
        {
            case SimdPath.Vector512:
                ProductRows<Simd512, Vector512<float>>(start, index, map, ref v, ref bRef, ldb, ref cRef, ldc, n, first, end);
                break;
            case SimdPath.Vector256:
                ProductRows<Simd256, Vector256<float>>(start, index, map, ref v, ref bRef, ldb, ref cRef, ldc, n, first, end);
                break;
            case SimdPath.Vector128:
                ProductRows<Simd128, Vector128<float>>(start, index, map, ref v, ref bRef, ldb, ref cRef, ldc, n, first, end);
                break;
            default:
                ProductRows<SimdScalar, float>(start, index, map, ref v, ref bRef, ldb, ref cRef, ldc, n, first, end);
                break;
        }
    }

    /// <summary>
    /// <see cref="ProductRows(SimdPath, int[], int[], int[], ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, int, int, int, int)"/>
    /// on one width: the whole vectors of each row by <see cref="SparseRowBlocks"/>, the last n mod Count columns one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ProductRows<TSimd, TVector>(int[] start, int[] index, int[]? map, ref float vRef, ref float bRef, nint ldb,
        ref float cRef, nint ldc, int n, int first, int end)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int vectors = n / TSimd.Count;
        var zero = TSimd.Broadcast(0f);
        for (int r = first; r < end; r++)
        {
            int k0 = start[r], k1 = start[r + 1];
            ref float cRow = ref Unsafe.Add(ref cRef, (nint)r * ldc);
            SparseRowBlocks.Row<TSimd, TVector>(k0, k1, index, map, ref vRef, ref bRef, ldb, vectors, zero, ref cRow);
            for (int j = vectors * TSimd.Count; j < n; j++)
            {
                float sum = 0f;
                for (int k = k0; k < k1; k++)
                {
                    sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref bRef, ((nint)index[k] * ldb) + j), Unsafe.Add(ref vRef, map is null ? k : map[k]), sum);
                }

                Unsafe.Add(ref cRow, j) = sum;
            }
        }
    }

    /// <summary>g[k] (+)= dot(A[r, :n], B[index[k], :n]) for the entries of rows [first, end), on <paramref name="path"/>'s vectors.</summary>
    internal static void SampledRows(SimdPath path, int[] start, int[] index, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> g, int n, bool accumulate, int first, int end)
    {
        ref float aRef = ref MemoryMarshal.GetReference(a);
        ref float bRef = ref MemoryMarshal.GetReference(b);
        ref float gRef = ref MemoryMarshal.GetReference(g);
        switch (path)
        {
            case SimdPath.Vector512:
                SampledRows512(start, index, ref aRef, lda, ref bRef, ldb, ref gRef, n, accumulate, first, end);
                break;
            case SimdPath.Vector256:
                SampledRowsByFour<Simd256, Vector256<float>>(start, index, ref aRef, lda, ref bRef, ldb, ref gRef, n, accumulate, first, end);
                break;
            case SimdPath.Vector128:
                SampledRowsByFour<Simd128, Vector128<float>>(start, index, ref aRef, lda, ref bRef, ldb, ref gRef, n, accumulate, first, end);
                break;
            default:
                SampledRowsByFour<SimdScalar, float>(start, index, ref aRef, lda, ref bRef, ldb, ref gRef, n, accumulate, first, end);
                break;
        }
    }

    /// <summary>
    /// The sampled product on 128- and 256-bit vectors (and scalar code): four consecutive entries (across row ends)
    /// are reduced across lanes together by <see cref="ISimd{TVector}.SumFour"/>. A leftover entry goes through the
    /// same tree on its own, so an entry's sum does not depend on where a group starts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SampledRowsByFour<TSimd, TVector>(int[] start, int[] index, ref float aRef, nint lda, ref float bRef, nint ldb,
        ref float gRef, int n, bool accumulate, int first, int end)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int vectorEnd = n - (n % TSimd.Count);
        int k = start[first], kEnd = start[end];
        int r = first;
        if (n == 32 && TSimd.Count is 4 or 8 && k < kEnd)
        {
            // One training batch of 32: the current row of A stays in registers (four on 256 bits, eight on 128)
            // across its entries, so each entry loads only its row of B.
            while (k >= start[r + 1])
            {
                r++;
            }

            TVector a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            LoadRow32<TSimd, TVector>(ref Unsafe.Add(ref aRef, (nint)r * lda), ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
            for (; k + 4 <= kEnd; k += 4)
            {
                var p0 = EntryProducts32<TSimd, TVector>(start, index, ref aRef, lda, ref bRef, ldb, k, ref r, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                var p1 = EntryProducts32<TSimd, TVector>(start, index, ref aRef, lda, ref bRef, ldb, k + 1, ref r, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                var p2 = EntryProducts32<TSimd, TVector>(start, index, ref aRef, lda, ref bRef, ldb, k + 2, ref r, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                var p3 = EntryProducts32<TSimd, TVector>(start, index, ref aRef, lda, ref bRef, ldb, k + 3, ref r, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
                StoreSums<Simd128, Vector128<float>>(TSimd.SumFour(p0, p1, p2, p3), ref gRef, k, accumulate);
            }
        }
        else if (vectorEnd > 0 && vectorEnd == n)
        {
            for (; k + 4 <= kEnd; k += 4)
            {
                var p0 = EntryProducts<TSimd, TVector>(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k, ref r);
                var p1 = EntryProducts<TSimd, TVector>(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 1, ref r);
                var p2 = EntryProducts<TSimd, TVector>(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 2, ref r);
                var p3 = EntryProducts<TSimd, TVector>(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 3, ref r);
                StoreSums<Simd128, Vector128<float>>(TSimd.SumFour(p0, p1, p2, p3), ref gRef, k, accumulate);
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
            var p = vectorEnd > 0 ? Products<TSimd, TVector>(ref aRow, ref bRow, vectorEnd) : default;
            float sum = (vectorEnd > 0 ? TSimd.SumFour(p, p, p, p).ToScalar() : 0f) + TailDot(ref aRow, ref bRow, vectorEnd, n);
            ref float target = ref Unsafe.Add(ref gRef, k);
            target = accumulate ? target + sum : sum;
        }
    }

    /// <summary>g[k..] = <paramref name="sums"/>, or g[k..] += it when <paramref name="accumulate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums<TSimd, TVector>(TVector sums, ref float g, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        if (accumulate)
        {
            sums = TSimd.Add(sums, TSimd.Load(ref g, (nuint)k));
        }

        TSimd.Store(sums, ref g, (nuint)k);
    }

    /// <summary>A row of 32 floats into 32 / Count registers (the rest are left alone).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadRow32<TSimd, TVector>(ref float row, ref TVector a0, ref TVector a1, ref TVector a2, ref TVector a3,
        ref TVector a4, ref TVector a5, ref TVector a6, ref TVector a7)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int w = TSimd.Count;
        a0 = TSimd.Load(ref row, 0);
        a1 = TSimd.Load(ref row, (nuint)w);
        a2 = TSimd.Load(ref row, (nuint)(2 * w));
        a3 = TSimd.Load(ref row, (nuint)(3 * w));
        if (w == 4)
        {
            a4 = TSimd.Load(ref row, 16);
            a5 = TSimd.Load(ref row, 20);
            a6 = TSimd.Load(ref row, 24);
            a7 = TSimd.Load(ref row, 28);
        }
    }

    /// <summary>
    /// <see cref="Products{TSimd, TVector}"/> for n = 32 with the current row of A held in registers, reloaded only when
    /// the entry starts a new row; the same operations in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector EntryProducts32<TSimd, TVector>(int[] start, int[] index, ref float aRef, nint lda, ref float bRef, nint ldb, int k, ref int row,
        ref TVector a0, ref TVector a1, ref TVector a2, ref TVector a3, ref TVector a4, ref TVector a5, ref TVector a6, ref TVector a7)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        if (k >= start[row + 1])
        {
            do
            {
                row++;
            }
            while (k >= start[row + 1]);
            LoadRow32<TSimd, TVector>(ref Unsafe.Add(ref aRef, (nint)row * lda), ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7);
        }

        int w = TSimd.Count;
        ref float b = ref Unsafe.Add(ref bRef, (nint)index[k] * ldb);
        var even = TSimd.Multiply(a0, TSimd.Load(ref b, 0));
        var odd = TSimd.Multiply(a1, TSimd.Load(ref b, (nuint)w));
        even = TSimd.MultiplyAdd(a2, TSimd.Load(ref b, (nuint)(2 * w)), even);
        odd = TSimd.MultiplyAdd(a3, TSimd.Load(ref b, (nuint)(3 * w)), odd);
        if (w == 4)
        {
            even = TSimd.MultiplyAdd(a4, TSimd.Load(ref b, 16), even);
            odd = TSimd.MultiplyAdd(a5, TSimd.Load(ref b, 20), odd);
            even = TSimd.MultiplyAdd(a6, TSimd.Load(ref b, 24), even);
            odd = TSimd.MultiplyAdd(a7, TSimd.Load(ref b, 28), odd);
        }

        return TSimd.Add(even, odd);
    }

    /// <summary>The lane-wise products of entry <paramref name="k"/>, moving <paramref name="row"/> on to the entry's row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector EntryProducts<TSimd, TVector>(int[] start, int[] index, ref float aRef, nint lda, ref float bRef, nint ldb, int vectorEnd, int k, ref int row)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        while (k >= start[row + 1])
        {
            row++;
        }

        return Products<TSimd, TVector>(ref Unsafe.Add(ref aRef, (nint)row * lda), ref Unsafe.Add(ref bRef, (nint)index[k] * ldb), vectorEnd);
    }

    /// <summary>
    /// Lane-wise products a[j]·b[j] summed over the vector blocks below <paramref name="vectorEnd"/>: even blocks in
    /// one accumulator, odd ones in another (two dependency chains), added at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Products<TSimd, TVector>(ref float a, ref float b, int vectorEnd)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int w = TSimd.Count;
        var even = TSimd.Multiply(TSimd.Load(ref a, 0), TSimd.Load(ref b, 0));
        if (vectorEnd == w)
        {
            return even;
        }

        var odd = TSimd.Multiply(TSimd.Load(ref a, (nuint)w), TSimd.Load(ref b, (nuint)w));
        int j = 2 * w;
        for (; j + (2 * w) <= vectorEnd; j += 2 * w)
        {
            even = TSimd.MultiplyAdd(TSimd.Load(ref a, (nuint)j), TSimd.Load(ref b, (nuint)j), even);
            odd = TSimd.MultiplyAdd(TSimd.Load(ref a, (nuint)(j + w)), TSimd.Load(ref b, (nuint)(j + w)), odd);
        }

        if (j < vectorEnd)
        {
            even = TSimd.MultiplyAdd(TSimd.Load(ref a, (nuint)j), TSimd.Load(ref b, (nuint)j), even);
        }

        return TSimd.Add(even, odd);
    }

    /// <summary>
    /// The sampled product on AVX-512, kept apart from <see cref="SampledRowsByFour{TSimd, TVector}"/> for its
    /// sixteen-entry shuffle tree, which round 2 measured against four entries per three horizontal adds
    /// (docs/PERFORMANCE.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SampledRows512(int[] start, int[] index, ref float aRef, nint lda, ref float bRef, nint ldb,
        ref float gRef, int n, bool accumulate, int first, int end)
    {
        int vectorEnd = n & ~15;
        int k = start[first], kEnd = start[end];
        int r = first;
        if (vectorEnd == 32 && n == 32 && k < kEnd)
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
                var s0 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k, ref r, ref a0, ref a1);
                var s4 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 1, ref r, ref a0, ref a1);
                var s8 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 2, ref r, ref a0, ref a1);
                var s12 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 3, ref r, ref a0, ref a1);
                var s1 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 4, ref r, ref a0, ref a1);
                var s5 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 5, ref r, ref a0, ref a1);
                var s9 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 6, ref r, ref a0, ref a1);
                var s13 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 7, ref r, ref a0, ref a1);
                var s2 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 8, ref r, ref a0, ref a1);
                var s6 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 9, ref r, ref a0, ref a1);
                var s10 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 10, ref r, ref a0, ref a1);
                var s14 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 11, ref r, ref a0, ref a1);
                var s3 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 12, ref r, ref a0, ref a1);
                var s7 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 13, ref r, ref a0, ref a1);
                var s11 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 14, ref r, ref a0, ref a1);
                var s15 = EntryProducts512x32(start, index, ref aRef, lda, ref bRef, ldb, k + 15, ref r, ref a0, ref a1);
                StoreSums<Simd512, Vector512<float>>(SumSixteen(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15), ref gRef, k, accumulate);
            }
        }
        else if (vectorEnd > 0 && vectorEnd == n)
        {
            // Sixteen entries at a time, across row ends: their lane-wise products are reduced together by a
            // transpose-and-add tree (four shuffle levels for sixteen sums, instead of a horizontal sum per entry).
            // Entry 4q + t goes to slot q + 4t so that the tree leaves entry e in lane e.
            for (; k + 16 <= kEnd; k += 16)
            {
                var s0 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k, ref r);
                var s4 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 1, ref r);
                var s8 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 2, ref r);
                var s12 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 3, ref r);
                var s1 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 4, ref r);
                var s5 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 5, ref r);
                var s9 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 6, ref r);
                var s13 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 7, ref r);
                var s2 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 8, ref r);
                var s6 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 9, ref r);
                var s10 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 10, ref r);
                var s14 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 11, ref r);
                var s3 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 12, ref r);
                var s7 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 13, ref r);
                var s11 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 14, ref r);
                var s15 = EntryProducts512(start, index, ref aRef, lda, ref bRef, ldb, vectorEnd, k + 15, ref r);
                StoreSums<Simd512, Vector512<float>>(SumSixteen(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15), ref gRef, k, accumulate);
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
            float sum = (vectorEnd > 0 ? ReduceLikeTree(Products512(ref aRow, ref bRow, vectorEnd)) : 0f) + TailDot(ref aRow, ref bRow, vectorEnd, n);
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

    /// <summary>
    /// <see cref="EntryProducts512"/> for n = 32 with the current row of A held in <paramref name="a0"/> and
    /// <paramref name="a1"/>, reloaded only when the entry starts a new row; the same operations in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> EntryProducts512x32(int[] start, int[] index, ref float aRef, nint lda, ref float bRef, nint ldb, int k, ref int row,
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
    private static Vector512<float> EntryProducts512(int[] start, int[] index, ref float aRef, nint lda, ref float bRef, nint ldb, int vectorEnd, int k, ref int row)
    {
        while (k >= start[row + 1])
        {
            row++;
        }

        return Products512(ref Unsafe.Add(ref aRef, (nint)row * lda), ref Unsafe.Add(ref bRef, (nint)index[k] * ldb), vectorEnd);
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
    private static Vector512<float> Products512(ref float a, ref float b, int vectorEnd)
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
        private SimdPath _path;

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
            ReadOnlyMemory<float> a, int lda, Memory<float> c, int ldc, int n, bool accumulate, SimdPath path)
        {
            (_kind, _pattern, _values, _b, _ldb, _a, _lda, _c, _ldc, _n, _accumulate, _path) = (kind, s, values, b, ldb, a, lda, c, ldc, n, accumulate, path);
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
                    ProductRows(_path, start, s.ColumnIndexArray, null, _values.Span, _b.Span, _ldb, _c.Span, _ldc, _n, first, end);
                    break;
                case Kind.MultiplyTransposed:
                    ProductRows(_path, start, s.RowIndexArray, s.CsrPositionArray, _values.Span, _b.Span, _ldb, _c.Span, _ldc, _n, first, end);
                    break;
                default:
                    SampledRows(_path, start, s.ColumnIndexArray, _a.Span, _lda, _b.Span, _ldb, _c.Span, _n, _accumulate, first, end);
                    break;
            }
        }
    }
}
