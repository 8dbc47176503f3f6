using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Kernels;

/// <summary>
/// 8×32 micro-kernel on Vector512 with FMA: 16 accumulators (8 rows × 2 vectors of 16 floats), two B loads
/// and eight broadcasts per k step. 8 rows divide batch 32 exactly and 32 columns divide the usual layer widths
/// (measured faster here than 8×48 and 12×32-style tiles, which waste more work on edge tiles).
/// </summary>
internal readonly struct GemmMicroKernel512 : IGemmMicroKernel
{
    public static int Mr => 8;

    public static int Nr => 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool addToC)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;

        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);

            var av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(av, b1, c71);

            a += 8;
            b += 32;
        }

        Store(c, addToC, c00, c01);
        Store(c + ldc, addToC, c10, c11);
        Store(c + (2 * ldc), addToC, c20, c21);
        Store(c + (3 * ldc), addToC, c30, c31);
        Store(c + (4 * ldc), addToC, c40, c41);
        Store(c + (5 * ldc), addToC, c50, c51);
        Store(c + (6 * ldc), addToC, c60, c61);
        Store(c + (7 * ldc), addToC, c70, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* row, bool addToC, Vector512<float> v0, Vector512<float> v1)
    {
        if (addToC)
        {
            v0 += Vector512.Load(row);
            v1 += Vector512.Load(row + 16);
        }

        Vector512.Store(v0, row);
        Vector512.Store(v1, row + 16);
    }
}
