using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Occam.Kernels;

/// <summary>
/// 6×16 micro-kernel on Vector256 with FMA (AVX2 machines without AVX-512): 12 accumulators, two B loads and six
/// broadcasts per k step, fitting the 16 ymm registers.
/// </summary>
internal readonly struct GemmMicroKernel256 : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool addToC)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;

        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);

            var av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(av, b1, c51);

            a += 6;
            b += 16;
        }

        Store(c, addToC, c00, c01);
        Store(c + ldc, addToC, c10, c11);
        Store(c + (2 * ldc), addToC, c20, c21);
        Store(c + (3 * ldc), addToC, c30, c31);
        Store(c + (4 * ldc), addToC, c40, c41);
        Store(c + (5 * ldc), addToC, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* row, bool addToC, Vector256<float> v0, Vector256<float> v1)
    {
        if (addToC)
        {
            v0 += Vector256.Load(row);
            v1 += Vector256.Load(row + 8);
        }

        Vector256.Store(v0, row);
        Vector256.Store(v1, row + 8);
    }
}
