namespace Occam.Kernels;

/// <summary>One validated SGEMM call with its operands pinned, passed to the blocked driver and its workers.</summary>
internal readonly unsafe struct GemmProblem(
    bool transposeA, bool transposeB, int m, int n, int k,
    float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
{
    public bool TransposeA { get; } = transposeA;

    public bool TransposeB { get; } = transposeB;

    public int M { get; } = m;

    public int N { get; } = n;

    public int K { get; } = k;

    public float* A { get; } = a;

    public int Lda { get; } = lda;

    public float* B { get; } = b;

    public int Ldb { get; } = ldb;

    public float* C { get; } = c;

    public int Ldc { get; } = ldc;

    public bool Accumulate { get; } = accumulate;
}
