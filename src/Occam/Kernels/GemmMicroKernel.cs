namespace Occam.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: multiplies an Mr×kc packed panel of A by a kc×Nr packed panel of B
/// and writes (or adds) the Mr×Nr tile of C. Implemented by structs so the driver is specialised per kernel.
/// </summary>
internal interface IGemmMicroKernel
{
    /// <summary>Rows of the C tile (the packed A panel's height).</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the C tile (the packed B panel's width).</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// Side of the square register transpose the packing uses for this kernel's transposed operands: 8 (AVX 8×8),
    /// 4 (Vector128 4×4) or 0 (element by element). Tied to the kernel, not the process, so tests can run every kind.
    /// </summary>
    static abstract int TransposeBlock { get; }

    /// <summary>
    /// Computes tile = Σₚ a[p·Mr + r]·b[p·Nr + j] for p in [0, kc), then c[r·ldc + j] = tile (or += when
    /// <paramref name="addToC"/>). The k sum is always taken in order p = 0, 1, …, so results do not depend on threads.
    /// </summary>
    static abstract unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool addToC);
}
