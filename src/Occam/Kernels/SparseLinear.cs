using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Occam.Kernels;

/// <summary>
/// The dense layer's sparse forward pass on row-major activations: Y[n, S.Rows] = X[n, S.Columns] · Sᵀ + bias, with
/// S a <see cref="SparsePattern"/> whose values are in CSR order.
/// </summary>
/// <remarks>
/// X is transposed once, a slab of examples at a time, into slabs of [S.Columns, width]; every live weight w(o, k) is
/// then a broadcast fused multiply-add over the contiguous row k of a slab (a batch of 32: two AVX-512 vectors, four
/// AVX2 or eight 128-bit ones), accumulated in registers across row o's entries. Up to 32 examples make one slab of
/// width 32; larger batches use slabs of 128, whose eight AVX-512 vectors per entry pay the entry's index and broadcast
/// once (measured at batch 256: 1.11 ms against 1.47 ms with slabs of 32, one thread; narrower vectors take the
/// columns in blocks of at most eight vectors). Sixteen output rows at a time are transposed back into Y with
/// the bias added, so neither a transposed output nor a separate bias pass goes through memory. Slabs and ranges of
/// output rows are split across threads; every output element is one fixed sequence of operations on one thread,
/// so results do not depend on the thread count.
/// </remarks>
internal static unsafe class SparseLinear
{
    /// <summary>Examples per slab of transposed activations for batches of up to 32 (one slab).</summary>
    public const int SlabWidth = 32;

    // Examples per slab for larger batches (a slab of 784 features is then 400 KB, within L2).
    private const int WideSlabWidth = 128;

    // Output rows per register-transposed tile.
    private const int TileRows = 16;

    // Below this many multiply-adds a call runs on the calling thread: waking workers costs more.
    private const long ParallelWork = 1 << 16;

    // Parts per slab with a head, whatever the thread count: each part sums into its own partial Z, and the partials
    // are added in part order, so the result does not depend on how many threads ran the parts.
    private const int HeadChunks = 8;

    /// <summary>Most outputs a <see cref="SparseHead"/> may have.</summary>
    public const int MaxHeadRows = 16;

    [ThreadStatic]
    private static LinearJob? _job;

    /// <summary>Floats the <c>slabs</c> workspace of <see cref="Forward"/> needs for <paramref name="n"/> examples of <paramref name="columns"/> features.</summary>
    public static int WorkspaceLength(int columns, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return checked(SlabCount(n) * columns * SlabWidthFor(n));
    }

    /// <summary>
    /// Y[n, S.Rows] = X[n, S.Columns] · Sᵀ (+ <paramref name="bias"/>[S.Rows] when it is not empty), both row-major with
    /// rows of S.Columns and S.Rows floats, then max(0, Y) when <paramref name="rectify"/> (a ReLU fused into the pass).
    /// With a <paramref name="head"/>, Y goes on through it into <see cref="SparseHead.Output"/> instead of into
    /// <paramref name="y"/> (which may then be empty). On return <paramref name="slabs"/> holds Xᵀ slab by slab (zero
    /// past the n-th example); for n ≤ <see cref="SlabWidth"/> that is one slab, Xᵀ with row stride
    /// <see cref="SlabWidth"/>, ready for the weight gradient.
    /// </summary>
    public static void Forward(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> bias, ReadOnlyMemory<float> x, int n,
        Memory<float> slabs, Memory<float> y, bool rectify = false, SparseHead? head = null) =>
        ForwardOn(s, values, bias, x, n, slabs, y, rectify, head, Simd.Path);

    /// <summary>
    /// <see cref="Forward(SparsePattern, ReadOnlyMemory{float}, ReadOnlyMemory{float}, ReadOnlyMemory{float}, int, Memory{float}, Memory{float}, bool, SparseHead?)"/>
    /// on the vectors of <paramref name="path"/>.
    /// </summary>
    internal static void ForwardOn(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> bias, ReadOnlyMemory<float> x, int n,
        Memory<float> slabs, Memory<float> y, bool rectify, SparseHead? head, SimdPath path)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!Simd.Supports(path))
        {
            throw new ArgumentOutOfRangeException(nameof(path), path, $"This process runs up to {Simd.Path}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(n);
        Need(values.Length, s.NonzeroCount, nameof(values));
        if (bias.Length != 0)
        {
            Need(bias.Length, s.Rows, nameof(bias));
        }

        Need(x.Length, (long)n * s.Columns, nameof(x));
        Need(slabs.Length, WorkspaceLength(s.Columns, n), nameof(slabs));
        if (head is { } h)
        {
            CheckHead(h, s.Rows, n);
        }
        else
        {
            Need(y.Length, (long)n * s.Rows, nameof(y));
        }

        if (n == 0)
        {
            return;
        }

        var job = _job ??= new LinearJob();
        job.Set(s, values, bias, x, n, slabs, y, rectify, head, path);
        int threads = Parallelism.ThreadCount;
        int slabCount = SlabCount(n);
        bool parallel = threads > 1 && (long)s.NonzeroCount * n >= ParallelWork;
        if (parallel && slabCount > 1)
        {
            KernelWorkers.Run(slabCount, threads, &TransposeSlab, job.Handle);
        }
        else
        {
            for (int q = 0; q < slabCount; q++)
            {
                job.TransposeSlab(q);
            }
        }

        // Four parts per thread over all slabs, claimed dynamically, so a thread slowed by other load hands work to the rest.
        job.ChunksPerSlab = head is not null ? HeadChunks : parallel ? Math.Max(1, ((4 * threads) + slabCount - 1) / slabCount) : 1;
        int tasks = slabCount * job.ChunksPerSlab;
        job.ClearHeadPartials(tasks);
        if (tasks > 1)
        {
            KernelWorkers.Run(tasks, threads, &MultiplyPart, job.Handle);
        }
        else
        {
            job.MultiplyPart(0);
        }

        job.FinishHead(slabCount);
        job.Release();
    }

    /// <summary>Examples per slab (the slabs' row stride) for a batch of <paramref name="n"/>: 32 up to 32, else 128.</summary>
    public static int SlabWidthFor(int n) => n <= SlabWidth ? SlabWidth : WideSlabWidth;

    private static int SlabCount(int n) => (n + SlabWidthFor(n) - 1) / SlabWidthFor(n);

    private static void CheckHead(SparseHead head, int features, int n)
    {
        ArgumentNullException.ThrowIfNull(head.Pattern, nameof(head));
        if (head.Pattern.Columns != features || head.Pattern.Rows > MaxHeadRows)
        {
            throw new ArgumentException(
                $"A head over {features} features with at most {MaxHeadRows} outputs was expected, got [{head.Pattern.Rows}, {head.Pattern.Columns}].", nameof(head));
        }

        Need(head.Values.Length, head.Pattern.NonzeroCount, nameof(head));
        if (head.Bias.Length != 0)
        {
            Need(head.Bias.Length, head.Pattern.Rows, nameof(head));
        }

        Need(head.Output.Length, (long)n * head.Pattern.Rows, nameof(head));
    }

    private static void Need(long length, long needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"Need {needed} floats, got {length}.", name);
        }
    }

    private static void TransposeSlab(nint state, int slab) => ((LinearJob)GCHandle.FromIntPtr(state).Target!).TransposeSlab(slab);

    private static void MultiplyPart(nint state, int part) => ((LinearJob)GCHandle.FromIntPtr(state).Target!).MultiplyPart(part);

    /// <summary>
    /// tile[r · width + j] = bias(first + r) + Σ_k value(k) · slab[index[k] · width + j] over row (first + r)'s entries,
    /// for r &lt; <paramref name="count"/> and j &lt; Count · <paramref name="vectors"/> (<see cref="SparseRowBlocks"/>).
    /// </summary>
    /// <remarks>
    /// Not inlined: inside <see cref="LinearJob.MultiplyPart{TSimd, TVector}"/> the JIT ran out of registers and
    /// reloaded two base addresses from the stack at every entry (≈ 8 % slower at batch 256 on AVX-512).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyTile<TSimd, TVector>(int[] start, int[] index, ref float value, ref float bias, bool hasBias, ref float slab, int width,
        int vectors, int first, int count, ref float tile)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        for (int r = 0; r < count; r++)
        {
            int k0 = start[first + r], k1 = start[first + r + 1];
            var b = TSimd.Broadcast(hasBias ? Unsafe.Add(ref bias, first + r) : 0f);
            SparseRowBlocks.Row<TSimd, TVector>(k0, k1, index, null, ref value, ref slab, width, vectors, b, ref Unsafe.Add(ref tile, r * width));
        }
    }

    /// <summary>One call's operands, reused across calls on a thread so the hot path allocates nothing.</summary>
    private sealed class LinearJob
    {
        private SparsePattern? _pattern;
        private ReadOnlyMemory<float> _values, _bias, _x;
        private Memory<float> _slabs, _y;
        private int _n;
        private int _width;
        private bool _rectify;
        private SparseHead? _head;
        private SimdPath _path;

        // Per part, the part's contribution to Zᵀ: [head rows, slab width].
        private float[] _headPartials = [];

        // One per thread for the thread's lifetime, so the handle is never freed.
        public LinearJob() => Handle = GCHandle.ToIntPtr(GCHandle.Alloc(this));

        /// <summary>A handle to this job that the worker pool passes back as its state.</summary>
        public nint Handle { get; }

        public int ChunksPerSlab { get; set; }

        public void Set(SparsePattern s, ReadOnlyMemory<float> values, ReadOnlyMemory<float> bias, ReadOnlyMemory<float> x, int n,
            Memory<float> slabs, Memory<float> y, bool rectify, SparseHead? head, SimdPath path)
        {
            (_pattern, _values, _bias, _x, _n, _slabs, _y, _rectify, _head, _path) = (s, values, bias, x, n, slabs, y, rectify, head, path);
            _width = SlabWidthFor(n);
        }

        public void Release()
        {
            _pattern = null;
            _values = _bias = _x = default;
            _slabs = _y = default;
            _head = null;
        }

        private int PartialLength => _head!.Value.Pattern.Rows * _width;

        public void ClearHeadPartials(int parts)
        {
            if (_head is null)
            {
                return;
            }

            int length = parts * PartialLength;
            if (_headPartials.Length < length)
            {
                _headPartials = GC.AllocateUninitializedArray<float>(length, pinned: true);
            }

            _headPartials.AsSpan(0, length).Clear();
        }

        /// <summary>Z[q · width + j, c] = bias(c) + the parts' partials of slab q summed in part order.</summary>
        public void FinishHead(int slabCount)
        {
            if (_head is not { } head)
            {
                return;
            }

            int outputs = head.Pattern.Rows;
            var bias = head.Bias.Span;
            var z = head.Output.Span;
            var partials = _headPartials.AsSpan();
            for (int q = 0; q < slabCount; q++)
            {
                int examples = Math.Min(_width, _n - (q * _width));
                var sum = partials.Slice(q * HeadChunks * PartialLength, PartialLength);
                for (int chunk = 1; chunk < HeadChunks; chunk++)
                {
                    TensorPrimitives.Add(sum, partials.Slice(((q * HeadChunks) + chunk) * PartialLength, PartialLength), sum);
                }

                for (int c = 0; c < outputs; c++)
                {
                    float b = bias.IsEmpty ? 0f : bias[c];
                    var row = sum.Slice(c * _width, examples);
                    for (int j = 0; j < examples; j++)
                    {
                        z[(((q * _width) + j) * outputs) + c] = b + row[j];
                    }
                }
            }
        }

        /// <summary>
        /// Adds the tile's rows through the head into part <paramref name="part"/>'s partial: for each live head entry
        /// h(c, o) of a row o, partial[c, j] += h(c, o) · tile[o, j] over Count · <paramref name="vectors"/> columns.
        /// </summary>
        private void AccumulateHead<TSimd, TVector>(SparseHead head, int part, ref float tile, int first, int count, int vectors)
            where TSimd : struct, ISimd<TVector>
            where TVector : unmanaged
        {
            var pattern = head.Pattern;
            int[] columnStart = pattern.ColumnStartArray;
            int[] headRow = pattern.RowIndexArray;
            int[] position = pattern.CsrPositionArray;
            var values = head.Values.Span;
            ref float partial = ref _headPartials[part * PartialLength];
            for (int r = 0; r < count; r++)
            {
                ref float tileRow = ref Unsafe.Add(ref tile, r * _width);
                for (int e = columnStart[first + r]; e < columnStart[first + r + 1]; e++)
                {
                    var w = TSimd.Broadcast(values[position[e]]);
                    ref float target = ref Unsafe.Add(ref partial, headRow[e] * _width);
                    for (int v = 0; v < vectors; v++)
                    {
                        nuint offset = (nuint)(v * TSimd.Count);
                        TSimd.Store(TSimd.MultiplyAdd(TSimd.Load(ref tileRow, offset), w, TSimd.Load(ref target, offset)), ref target, offset);
                    }
                }
            }
        }

        /// <summary>Transposes slab q's examples of X into it, zero-filling the slab's columns past the last example.</summary>
        public void TransposeSlab(int q)
        {
            int columns = _pattern!.Columns;
            int examples = Math.Min(_width, _n - (q * _width));
            ref float x = ref Unsafe.Add(ref MemoryMarshal.GetReference(_x.Span), (nint)q * _width * columns);
            ref float slab = ref Unsafe.Add(ref MemoryMarshal.GetReference(_slabs.Span), (nint)q * _width * columns);
            Transpose.Strided(ref x, examples, columns, columns, ref slab, _width);
            if (examples < _width)
            {
                for (int c = 0; c < columns; c++)
                {
                    MemoryMarshal.CreateSpan(ref Unsafe.Add(ref slab, (c * _width) + examples), _width - examples).Clear();
                }
            }
        }

        /// <summary>Computes the output rows of part <paramref name="part"/> (a slab and a range of rows with about equal entry counts) into Y.</summary>
        public void MultiplyPart(int part)
        {
            switch (_path)
            {
                case SimdPath.Vector512:
                    MultiplyPart<Simd512, Vector512<float>>(part);
                    break;
                case SimdPath.Vector256:
                    MultiplyPart<Simd256, Vector256<float>>(part);
                    break;
                case SimdPath.Vector128:
                    MultiplyPart<Simd128, Vector128<float>>(part);
                    break;
                default:
                    MultiplyPart<SimdScalar, float>(part);
                    break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void MultiplyPart<TSimd, TVector>(int part)
            where TSimd : struct, ISimd<TVector>
            where TVector : unmanaged
        {
            var s = _pattern!;
            int q = part / ChunksPerSlab;
            int chunk = part % ChunksPerSlab;
            int rows = s.Rows;
            int[] start = s.RowStartArray;
            int first = SparseGemm.SplitRows(start, rows, chunk, ChunksPerSlab);
            int end = SparseGemm.SplitRows(start, rows, chunk + 1, ChunksPerSlab);
            int examples = Math.Min(_width, _n - (q * _width));
            int vectors = (examples + TSimd.Count - 1) / TSimd.Count;
            ref float slab = ref Unsafe.Add(ref MemoryMarshal.GetReference(_slabs.Span), (nint)q * _width * s.Columns);
            ref float y = ref Unsafe.Add(ref MemoryMarshal.GetReference(_y.Span), (nint)q * _width * rows);
            ref float value = ref MemoryMarshal.GetReference(_values.Span);
            var biasSpan = _bias.Span;
            ref float bias = ref MemoryMarshal.GetReference(biasSpan);
            Span<float> tile = stackalloc float[TileRows * WideSlabWidth];
            ref float tileRef = ref MemoryMarshal.GetReference(tile);
            for (int o = first; o < end; o += TileRows)
            {
                int count = Math.Min(TileRows, end - o);
                MultiplyTile<TSimd, TVector>(start, s.ColumnIndexArray, ref value, ref bias, !biasSpan.IsEmpty, ref slab, _width, vectors, o, count, ref tileRef);
                if (_rectify)
                {
                    // While the tile is in L1: a separate ReLU pass would read and write all of Y again.
                    var live = tile[..(count * _width)];
                    TensorPrimitives.Max(live, 0f, live);
                }

                if (_head is { } head)
                {
                    AccumulateHead<TSimd, TVector>(head, part, ref tileRef, o, count, vectors);
                    continue;
                }

                // Y[q · width + j, o + r] = tile[r, j]
                Transpose.Strided(ref tileRef, count, examples, _width, ref Unsafe.Add(ref y, o), rows);
            }
        }
    }
}
