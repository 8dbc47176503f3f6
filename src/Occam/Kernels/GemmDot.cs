using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Kernels;

/// <summary>
/// C[m, n] (+)= A[m, k] · B[n, k]ᵀ for a handful of columns n (a classifier layer: 1024 → 10), as dot products of
/// rows. The packed GEMM computes 32 columns per micro-tile and packs all of A first, so at n = 10 most of its work
/// is padding and packing (measured 0.22–0.25 ms for batch 256 × 1024 → 10, a fifth of a sparse model's inference).
/// Here two rows of A meet four rows of B per pass, eight accumulators, no packing; every element of C is one
/// fixed sequence of operations on one thread, so results do not depend on the thread count. Written once for every
/// vector width (8 accumulators + 6 operands fit 16 registers); the packed GEMM's kind picks the width.
/// </summary>
internal static unsafe class GemmDot
{
    /// <summary>Largest n this kernel takes; wider problems fill the packed GEMM's micro-tiles well enough.</summary>
    public const int MaxColumns = 16;

    // Below this many multiply-adds a call runs on the calling thread; a batch of 32 through 1024 → 10 (327 680) is
    // split across threads (measured: 10.8 → 6.7 µs for that layer).
    private const long ParallelWork = 1L << 17;

    // Rows of A per task.
    private const int RowsPerTask = 16;

    /// <summary>Whether <see cref="Multiply"/> serves this problem with the vectors of <paramref name="kind"/>.</summary>
    public static bool Serves(GemmKernelKind kind, in GemmProblem problem) =>
        Serves(kind, problem.TransposeA, problem.TransposeB, problem.N, problem.K);

    /// <summary>Whether <see cref="Multiply"/> serves a problem of this shape with the vectors of <paramref name="kind"/>.</summary>
    public static bool Serves(GemmKernelKind kind, bool transposeA, bool transposeB, int n, int k) =>
        kind != GemmKernelKind.Scalar && !transposeA && transposeB && n <= MaxColumns && k >= Width(kind);

    /// <summary>
    /// Runs <paramref name="problem"/> (see <see cref="Serves(GemmKernelKind, in GemmProblem)"/>) with the vectors of <paramref name="kind"/> on up
    /// to <paramref name="threadCount"/> threads.
    /// </summary>
    public static void Multiply(GemmKernelKind kind, in GemmProblem problem, int threadCount)
    {
        delegate*<nint, int, void> task = kind switch
        {
            GemmKernelKind.Vector512 => &RunTask<Simd512, Vector512<float>>,
            GemmKernelKind.Vector256 => &RunTask<Simd256, Vector256<float>>,
            _ => &RunTask<Simd128, Vector128<float>>,
        };
        int tasks = (problem.M + RowsPerTask - 1) / RowsPerTask;
        var copy = problem;
        if (threadCount <= 1 || tasks <= 1 || (long)problem.M * problem.N * problem.K < ParallelWork)
        {
            for (int t = 0; t < tasks; t++)
            {
                task((nint)(&copy), t);
            }

            return;
        }

        KernelWorkers.Run(tasks, threadCount, task, (nint)(&copy));
    }

    /// <summary>A readable name of the kernel that <paramref name="kind"/> runs here, e.g. "dot 2x4 vector512".</summary>
    public static string Describe(GemmKernelKind kind) => FormattableString.Invariant($"dot 2x4 vector{Width(kind) * 32}");

    private static int Width(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => Vector512<float>.Count,
        GemmKernelKind.Vector256 => Vector256<float>.Count,
        _ => Vector128<float>.Count,
    };

    private static void RunTask<TSimd, TVector>(nint state, int task)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        var problem = (GemmProblem*)state;
        int first = task * RowsPerTask;
        Rows<TSimd, TVector>(*problem, first, Math.Min(problem->M, first + RowsPerTask));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TSimd, TVector>(in GemmProblem p, int first, int end)
        where TSimd : struct, ISimd<TVector>
        where TVector : unmanaged
    {
        int k = p.K;
        int width = TSimd.Count;
        int vectorEnd = k - (k % width);
        for (int i = first; i < end; i += 2)
        {
            // A lone last row is paired with itself; its duplicate results are not stored.
            float* a0 = p.A + ((long)i * p.Lda);
            float* a1 = p.A + ((long)Math.Min(i + 1, end - 1) * p.Lda);
            for (int j = 0; j < p.N; j += 4)
            {
                // Likewise past the last column of B.
                float* b0 = p.B + ((long)j * p.Ldb);
                float* b1 = p.B + ((long)Math.Min(j + 1, p.N - 1) * p.Ldb);
                float* b2 = p.B + ((long)Math.Min(j + 2, p.N - 1) * p.Ldb);
                float* b3 = p.B + ((long)Math.Min(j + 3, p.N - 1) * p.Ldb);
                TVector s00 = default, s01 = default, s02 = default, s03 = default;
                TVector s10 = default, s11 = default, s12 = default, s13 = default;
                for (int t = 0; t < vectorEnd; t += width)
                {
                    var x0 = TSimd.Load(ref *a0, (nuint)t);
                    var x1 = TSimd.Load(ref *a1, (nuint)t);
                    var y0 = TSimd.Load(ref *b0, (nuint)t);
                    var y1 = TSimd.Load(ref *b1, (nuint)t);
                    var y2 = TSimd.Load(ref *b2, (nuint)t);
                    var y3 = TSimd.Load(ref *b3, (nuint)t);
                    s00 = TSimd.MultiplyAdd(x0, y0, s00);
                    s01 = TSimd.MultiplyAdd(x0, y1, s01);
                    s02 = TSimd.MultiplyAdd(x0, y2, s02);
                    s03 = TSimd.MultiplyAdd(x0, y3, s03);
                    s10 = TSimd.MultiplyAdd(x1, y0, s10);
                    s11 = TSimd.MultiplyAdd(x1, y1, s11);
                    s12 = TSimd.MultiplyAdd(x1, y2, s12);
                    s13 = TSimd.MultiplyAdd(x1, y3, s13);
                }

                // Every lane sum is taken before any tail: without FMA hardware the tail's fused multiply-add is a
                // call, and vectors live across a call would be kept on the stack throughout the loop above.
                float d00 = TSimd.Sum(s00), d01 = TSimd.Sum(s01), d02 = TSimd.Sum(s02), d03 = TSimd.Sum(s03);
                float d10 = TSimd.Sum(s10), d11 = TSimd.Sum(s11), d12 = TSimd.Sum(s12), d13 = TSimd.Sum(s13);
                float* c0 = p.C + ((long)i * p.Ldc) + j;
                Store(c0, 0, j, p.N, Finish(d00, a0, b0, vectorEnd, k), p.Accumulate);
                Store(c0, 1, j, p.N, Finish(d01, a0, b1, vectorEnd, k), p.Accumulate);
                Store(c0, 2, j, p.N, Finish(d02, a0, b2, vectorEnd, k), p.Accumulate);
                Store(c0, 3, j, p.N, Finish(d03, a0, b3, vectorEnd, k), p.Accumulate);
                if (i + 1 < end)
                {
                    float* c1 = c0 + p.Ldc;
                    Store(c1, 0, j, p.N, Finish(d10, a1, b0, vectorEnd, k), p.Accumulate);
                    Store(c1, 1, j, p.N, Finish(d11, a1, b1, vectorEnd, k), p.Accumulate);
                    Store(c1, 2, j, p.N, Finish(d12, a1, b2, vectorEnd, k), p.Accumulate);
                    Store(c1, 3, j, p.N, Finish(d13, a1, b3, vectorEnd, k), p.Accumulate);
                }
            }
        }
    }

    /// <summary>The lane sum plus the scalar tail a[t]·b[t] for t in [<paramref name="from"/>, <paramref name="k"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(float sum, float* a, float* b, int from, int k)
    {
        for (int t = from; t < k; t++)
        {
            sum = MathF.FusedMultiplyAdd(a[t], b[t], sum);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, int offset, int j, int n, float value, bool accumulate)
    {
        if (j + offset < n)
        {
            row[offset] = accumulate ? row[offset] + value : value;
        }
    }
}
