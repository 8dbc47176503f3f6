using System.Runtime.CompilerServices;

namespace Occam.Kernels;

/// <summary>
/// The register-blocked micro-kernel of every vector width, written once: Mr rows × two vectors of columns, so per
/// k step two B loads and Mr broadcasts feed 2·Mr multiply-adds into 2·Mr accumulators that never leave registers.
/// <list type="bullet">
/// <item>512-bit (AVX-512, 32 zmm): 8×32, 16 accumulators. Measured faster here than 8×48 and 12×32-style tiles,
/// which waste more work on edge tiles; 8 rows divide batch 32 and 32 columns divide the usual layer widths.</item>
/// <item>256-bit (AVX2, 16 ymm): 6×16, 12 accumulators + 2 B vectors + 1 broadcast = 15 registers.</item>
/// <item>128-bit (SSE without AVX2, 16 xmm; NEON): 6×8, the same 15 registers plus the product's temporary where
/// multiply-add is not fused. 4×12 (three B vectors) needs 17 without FMA and measured slower than 6×8 under
/// <c>DOTNET_EnableAVX2=0</c>, as did 4×8 (docs/PERFORMANCE.md).</item>
/// </list>
/// The JIT specialises this struct per <typeparamref name="TSimd"/>; Mr and Nr fold to constants, so the rows 6 and 7
/// vanish from the 16-register variants.
/// </summary>
internal readonly struct GemmMicroKernel<TSimd, TVector> : IGemmMicroKernel
    where TSimd : struct, ISimd<TVector>
    where TVector : unmanaged
{
    /// <summary>Eight rows where the ISA has 32 vector registers (AVX-512), six where it has 16.</summary>
    public static int Mr => TSimd.Count == 16 ? 8 : 6;

    public static int Nr => 2 * TSimd.Count;

    public static int TransposeBlock => TSimd.Count == 4 ? 4 : 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool addToC)
    {
        nuint w = (nuint)TSimd.Count;
        bool eightRows = Mr == 8;
        TVector c00 = default, c01 = default;
        TVector c10 = default, c11 = default;
        TVector c20 = default, c21 = default;
        TVector c30 = default, c31 = default;
        TVector c40 = default, c41 = default;
        TVector c50 = default, c51 = default;
        TVector c60 = default, c61 = default;
        TVector c70 = default, c71 = default;

        for (int p = 0; p < kc; p++)
        {
            var b0 = TSimd.Load(ref *b, 0);
            var b1 = TSimd.Load(ref *b, w);

            var av = TSimd.BroadcastFrom(a + 0);
            c00 = TSimd.MultiplyAdd(av, b0, c00);
            c01 = TSimd.MultiplyAdd(av, b1, c01);
            av = TSimd.BroadcastFrom(a + 1);
            c10 = TSimd.MultiplyAdd(av, b0, c10);
            c11 = TSimd.MultiplyAdd(av, b1, c11);
            av = TSimd.BroadcastFrom(a + 2);
            c20 = TSimd.MultiplyAdd(av, b0, c20);
            c21 = TSimd.MultiplyAdd(av, b1, c21);
            av = TSimd.BroadcastFrom(a + 3);
            c30 = TSimd.MultiplyAdd(av, b0, c30);
            c31 = TSimd.MultiplyAdd(av, b1, c31);
            av = TSimd.BroadcastFrom(a + 4);
            c40 = TSimd.MultiplyAdd(av, b0, c40);
            c41 = TSimd.MultiplyAdd(av, b1, c41);
            av = TSimd.BroadcastFrom(a + 5);
            c50 = TSimd.MultiplyAdd(av, b0, c50);
            c51 = TSimd.MultiplyAdd(av, b1, c51);
            if (eightRows)
            {
                av = TSimd.BroadcastFrom(a + 6);
                c60 = TSimd.MultiplyAdd(av, b0, c60);
                c61 = TSimd.MultiplyAdd(av, b1, c61);
                av = TSimd.BroadcastFrom(a + 7);
                c70 = TSimd.MultiplyAdd(av, b0, c70);
                c71 = TSimd.MultiplyAdd(av, b1, c71);
            }

            a += Mr;
            b += Nr;
        }

        Store(c, addToC, c00, c01);
        Store(c + ldc, addToC, c10, c11);
        Store(c + (2 * ldc), addToC, c20, c21);
        Store(c + (3 * ldc), addToC, c30, c31);
        Store(c + (4 * ldc), addToC, c40, c41);
        Store(c + (5 * ldc), addToC, c50, c51);
        if (eightRows)
        {
            Store(c + (6 * ldc), addToC, c60, c61);
            Store(c + (7 * ldc), addToC, c70, c71);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* row, bool addToC, TVector v0, TVector v1)
    {
        nuint w = (nuint)TSimd.Count;
        if (addToC)
        {
            v0 = TSimd.Add(v0, TSimd.Load(ref *row, 0));
            v1 = TSimd.Add(v1, TSimd.Load(ref *row, w));
        }

        TSimd.Store(v0, ref *row, 0);
        TSimd.Store(v1, ref *row, w);
    }
}
