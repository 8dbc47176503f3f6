namespace Occam.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major matrices:
/// C[m×n] = op(A)·op(B) (+ C when <c>accumulate</c>), where op(X) is X or Xᵀ.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// Computes C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/> is true.
    /// A is m×k (k×m when <paramref name="transposeA"/>), B is k×n (n×k when <paramref name="transposeB"/>),
    /// with leading dimensions (row strides) <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/>.
    /// </summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Slice(i * ldc, n);
            if (!accumulate)
            {
                cRow.Clear();
            }

            for (int p = 0; p < k; p++)
            {
                float av = transposeA ? a[p * lda + i] : a[i * lda + p];
                if (av == 0f)
                {
                    continue;
                }

                for (int j = 0; j < n; j++)
                {
                    cRow[j] += av * (transposeB ? b[j * ldb + p] : b[p * ldb + j]);
                }
            }
        }
    }
}
