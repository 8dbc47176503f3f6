using System.Runtime.Intrinsics;

namespace Occam.Kernels;

/// <summary>Which micro-kernel family <see cref="Gemm"/> runs; ordered from narrowest to widest.</summary>
internal enum GemmKernelKind
{
    /// <summary>Portable scalar code.</summary>
    Scalar,

    /// <summary>Vector128 (SSE without AVX2 on x86, NEON on ARM64).</summary>
    Vector128,

    /// <summary>Vector256 with FMA (AVX2-class machines).</summary>
    Vector256,

    /// <summary>Vector512 with FMA (AVX-512 machines).</summary>
    Vector512,
}

/// <summary>Run-time choice of the best micro-kernel the hardware accelerates.</summary>
internal static class GemmKernelSelection
{
    /// <summary>The fastest kernel this machine supports: the one of <see cref="Simd.Path"/>.</summary>
    public static GemmKernelKind Best { get; } = For(Simd.Path);

    /// <summary>Whether <paramref name="kind"/> can run here.</summary>
    public static bool IsSupported(GemmKernelKind kind) => kind <= Best;

    /// <summary>The kernel family of a SIMD path.</summary>
    public static GemmKernelKind For(SimdPath path) => path switch
    {
        SimdPath.Vector512 => GemmKernelKind.Vector512,
        SimdPath.Vector256 => GemmKernelKind.Vector256,
        SimdPath.Vector128 => GemmKernelKind.Vector128,
        _ => GemmKernelKind.Scalar,
    };

    /// <summary>A short description of the packed micro-kernel of <paramref name="kind"/>, e.g. "gemm 8x32 vector512".</summary>
    public static string Describe(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => Describe<GemmMicroKernel<Simd512, Vector512<float>>>("vector512"),
        GemmKernelKind.Vector256 => Describe<GemmMicroKernel<Simd256, Vector256<float>>>("vector256"),
        GemmKernelKind.Vector128 => Describe<GemmMicroKernel<Simd128, Vector128<float>>>("vector128"),
        _ => Describe<GemmMicroKernelScalar>("scalar"),
    };

    private static string Describe<TKernel>(string width)
        where TKernel : struct, IGemmMicroKernel =>
        FormattableString.Invariant($"gemm {TKernel.Mr}x{TKernel.Nr} {width}");
}
