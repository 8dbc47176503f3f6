using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Kernels;

/// <summary>
/// C[m, n] (+)= A[m, k] · B[n, k]ᵀ for a handful of columns n (a classifier layer: 1024 → 10), as dot products of
/// rows. The packed GEMM computes 32 columns per micro-tile and packs all of A first, so at n = 10 most of its work
/// is padding and packing (measured 0.22–0.25 ms for batch 256 × 1024 → 10, a fifth of a sparse model's inference).
/// Here two rows of A meet four rows of B per pass, eight accumulators, no packing; every element of C is one
/// fixed sequence of operations on one thread, so results do not depend on the thread count.
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

    /// <summary>Whether <see cref="Multiply"/> serves this problem on this machine.</summary>
    public static bool Serves(in GemmProblem problem) =>
        Vector512.IsHardwareAccelerated && !problem.TransposeA && problem.TransposeB && problem.N <= MaxColumns && problem.K >= Vector512<float>.Count;

    /// <summary>Runs <paramref name="problem"/> (see <see cref="Serves"/>) on up to <paramref name="threadCount"/> threads.</summary>
    public static void Multiply(in GemmProblem problem, int threadCount)
    {
        int tasks = (problem.M + RowsPerTask - 1) / RowsPerTask;
        if (threadCount <= 1 || tasks <= 1 || (long)problem.M * problem.N * problem.K < ParallelWork)
        {
            Rows(problem, 0, problem.M);
            return;
        }

        var copy = problem;
        KernelWorkers.Run(tasks, threadCount, &RunTask, (nint)(&copy));
    }

    private static void RunTask(nint state, int task)
    {
        var problem = (GemmProblem*)state;
        int first = task * RowsPerTask;
        Rows(*problem, first, Math.Min(problem->M, first + RowsPerTask));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(in GemmProblem p, int first, int end)
    {
        int k = p.K;
        int vectorEnd = k & ~(Vector512<float>.Count - 1);
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
                Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
                Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
                for (int t = 0; t < vectorEnd; t += Vector512<float>.Count)
                {
                    var x0 = Vector512.Load(a0 + t);
                    var x1 = Vector512.Load(a1 + t);
                    var y0 = Vector512.Load(b0 + t);
                    var y1 = Vector512.Load(b1 + t);
                    var y2 = Vector512.Load(b2 + t);
                    var y3 = Vector512.Load(b3 + t);
                    s00 = Vector512.FusedMultiplyAdd(x0, y0, s00);
                    s01 = Vector512.FusedMultiplyAdd(x0, y1, s01);
                    s02 = Vector512.FusedMultiplyAdd(x0, y2, s02);
                    s03 = Vector512.FusedMultiplyAdd(x0, y3, s03);
                    s10 = Vector512.FusedMultiplyAdd(x1, y0, s10);
                    s11 = Vector512.FusedMultiplyAdd(x1, y1, s11);
                    s12 = Vector512.FusedMultiplyAdd(x1, y2, s12);
                    s13 = Vector512.FusedMultiplyAdd(x1, y3, s13);
                }

                float* c0 = p.C + ((long)i * p.Ldc) + j;
                Store(c0, 0, j, p.N, Finish(s00, a0, b0, vectorEnd, k), p.Accumulate);
                Store(c0, 1, j, p.N, Finish(s01, a0, b1, vectorEnd, k), p.Accumulate);
                Store(c0, 2, j, p.N, Finish(s02, a0, b2, vectorEnd, k), p.Accumulate);
                Store(c0, 3, j, p.N, Finish(s03, a0, b3, vectorEnd, k), p.Accumulate);
                if (i + 1 < end)
                {
                    float* c1 = c0 + p.Ldc;
                    Store(c1, 0, j, p.N, Finish(s10, a1, b0, vectorEnd, k), p.Accumulate);
                    Store(c1, 1, j, p.N, Finish(s11, a1, b1, vectorEnd, k), p.Accumulate);
                    Store(c1, 2, j, p.N, Finish(s12, a1, b2, vectorEnd, k), p.Accumulate);
                    Store(c1, 3, j, p.N, Finish(s13, a1, b3, vectorEnd, k), p.Accumulate);
                }
            }
        }
    }

    /// <summary>The lane sum plus the scalar tail a[t]·b[t] for t in [<paramref name="from"/>, <paramref name="k"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector512<float> sums, float* a, float* b, int from, int k)
    {
        float sum = Vector512.Sum(sums);
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
