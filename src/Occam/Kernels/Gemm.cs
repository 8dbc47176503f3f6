using System.Runtime.Intrinsics;

namespace Occam.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major matrices:
/// C[m×n] = op(A)·op(B) (+ C when <c>accumulate</c>), where op(X) is X or Xᵀ.
/// Packed, cache-blocked and register-blocked on the widest vectors of <see cref="Simd.Path"/> (512-, 256- or 128-bit,
/// else scalar), multi-threaded over
/// <see cref="Parallelism.ThreadCount"/> threads; results are bit-identical for any thread count.
/// </summary>
internal static class Gemm
{
    /// <summary>
    /// Computes C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/> is true.
    /// A is m×k (k×m when <paramref name="transposeA"/>), B is k×n (n×k when <paramref name="transposeB"/>),
    /// with leading dimensions (row strides) <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/>.
    /// </summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate) =>
        Multiply(GemmKernelSelection.Best, Parallelism.ThreadCount, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>
    /// <see cref="Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
    /// with an explicit kernel family and thread count (tests exercise every fallback with it).
    /// </summary>
    internal static unsafe void Multiply(
        GemmKernelKind kernel, int threadCount,
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        if (!GemmKernelSelection.IsSupported(kernel))
        {
            throw new PlatformNotSupportedException($"The {kernel} GEMM kernel is not supported on this machine.");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        CheckOperand(c.Length, m, n, ldc, nameof(c));
        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        CheckOperand(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a));
        CheckOperand(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b));

        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            if (GemmDot.Serves(kernel, problem))
            {
                GemmDot.Multiply(kernel, problem, threadCount);
                return;
            }

            switch (kernel)
            {
                case GemmKernelKind.Vector512:
                    GemmDriver<GemmMicroKernel<Simd512, Vector512<float>>>.Run(problem, threadCount);
                    break;
                case GemmKernelKind.Vector256:
                    GemmDriver<GemmMicroKernel<Simd256, Vector256<float>>>.Run(problem, threadCount);
                    break;
                case GemmKernelKind.Vector128:
                    GemmDriver<GemmMicroKernel<Simd128, Vector128<float>>>.Run(problem, threadCount);
                    break;
                default:
                    GemmDriver<GemmMicroKernelScalar>.Run(problem, threadCount);
                    break;
            }
        }
    }

    /// <summary>
    /// A short name of the kernel a problem of this shape runs on this machine: the packed micro-kernel
    /// ("gemm 8x32 vector512") or the few-column dot kernel ("dot 2x4 vector512").
    /// </summary>
    internal static string DescribeKernel(bool transposeA, bool transposeB, int n, int k)
    {
        var kind = GemmKernelSelection.Best;
        return GemmDot.Serves(kind, transposeA, transposeB, n, k) ? GemmDot.Describe(kind) : GemmKernelSelection.Describe(kind);
    }

    /// <summary>Checks that a rows×columns row-major operand with row stride <paramref name="ld"/> fits its span.</summary>
    private static void CheckOperand(int length, int rows, int columns, int ld, string name)
    {
        if (ld < columns)
        {
            throw new ArgumentException($"Leading dimension {ld} is smaller than the row length {columns}.", name);
        }

        if (((long)(rows - 1) * ld) + columns > length)
        {
            throw new ArgumentException($"A {rows}×{columns} matrix with leading dimension {ld} needs more than {length} elements.", name);
        }
    }
}
