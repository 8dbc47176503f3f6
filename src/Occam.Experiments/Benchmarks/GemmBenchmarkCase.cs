namespace Occam.Benchmarks;

/// <summary>One SGEMM shape to time: C[m×n] = op(A)·op(B) with inner dimension k.</summary>
/// <param name="Name">Stable name used in reports, e.g. <c>sgemm_1024</c>.</param>
/// <param name="TransposeA">Whether A is stored k×m.</param>
/// <param name="TransposeB">Whether B is stored n×k.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">Inner dimension.</param>
public sealed record GemmBenchmarkCase(string Name, bool TransposeA, bool TransposeB, int M, int N, int K)
{
    /// <summary>Floating-point operations of one multiply (a multiply-add counts as two).</summary>
    public double Flops => 2.0 * M * N * K;
}
