using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Occam.Kernels;

/// <summary>Which micro-kernel family <see cref="Gemm"/> runs.</summary>
internal enum GemmKernelKind
{
    /// <summary>Portable scalar code.</summary>
    Scalar,

    /// <summary>Vector256 with FMA (AVX2-class machines).</summary>
    Vector256,

    /// <summary>Vector512 with FMA (AVX-512 machines).</summary>
    Vector512,
}

/// <summary>Run-time choice of the best micro-kernel the hardware accelerates.</summary>
internal static class GemmKernelSelection
{
    /// <summary>The fastest kernel this machine supports.</summary>
    public static GemmKernelKind Best { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernelKind.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernelKind.Vector256
        : GemmKernelKind.Scalar;

    /// <summary>Whether <paramref name="kind"/> can run here.</summary>
    public static bool IsSupported(GemmKernelKind kind) => kind <= Best;
}
