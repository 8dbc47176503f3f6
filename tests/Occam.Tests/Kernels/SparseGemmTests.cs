using Occam.Kernels;
using static Occam.Tests.Kernels.SparseTestData;

namespace Occam.Tests.Kernels;

public class SparseGemmTests
{
    [Theory]
    [InlineData(1.0, 1)]
    [InlineData(0.5, 16)]
    [InlineData(0.1, 33)]
    [InlineData(0.1, 100)]
    [InlineData(0.01, 64)]
    [InlineData(0.0, 32)]
    public void ProductsMatchTheDenseReference(double density, int n)
    {
        var random = new Random(3);
        int rows = 23, columns = 31;
        var mask = RandomMask(rows, columns, density, random);
        var (pattern, values, dense) = MaskedWeights(mask, rows, columns, random);
        var b = RandomValues(columns * n, random);
        var bt = RandomValues(rows * n, random);

        var c = new float[rows * n];
        SparseGemm.Multiply(pattern, values, b, n, n, c, n);
        var expected = new float[rows * n];
        Gemm.Multiply(false, false, rows, n, columns, dense, columns, b, n, expected, n, accumulate: false);
        AssertClose(expected, c);

        var ct = new float[columns * n];
        SparseGemm.MultiplyTransposed(pattern, values, bt, n, n, ct, n);
        var expectedT = new float[columns * n];
        Gemm.Multiply(true, false, columns, n, rows, dense, columns, bt, n, expectedT, n, accumulate: false);
        AssertClose(expectedT, ct);

        // g = (bt · bᵀ) at the live entries.
        var g = new float[pattern.NonzeroCount];
        SparseGemm.SampledProduct(pattern, bt, n, b, n, n, g, accumulate: false);
        var full = new float[rows * columns];
        Gemm.Multiply(false, true, rows, columns, n, bt, n, b, n, full, columns, accumulate: false);
        var sampled = new float[pattern.NonzeroCount];
        pattern.Gather(full, sampled);
        AssertClose(sampled, g);
        Assert.Equal(mask.Count(m => m != 0), pattern.NonzeroCount);
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var random = new Random(5);
        int rows = 300, columns = 200, n = 32;
        var pattern = SparsePattern.FromMask(RandomMask(rows, columns, 0.2, random), rows, columns);
        var values = RandomValues(pattern.NonzeroCount, random);
        var b = RandomValues(columns * n, random);
        var a = RandomValues(rows * n, random);
        int saved = Parallelism.ThreadCount;
        try
        {
            float[] Run(int threads)
            {
                Parallelism.ThreadCount = threads;
                var c = new float[rows * n];
                var ct = new float[columns * n];
                var g = new float[pattern.NonzeroCount];
                SparseGemm.Multiply(pattern, values, b, n, n, c, n);
                SparseGemm.MultiplyTransposed(pattern, values, a, n, n, ct, n);
                SparseGemm.SampledProduct(pattern, a, n, b, n, n, g, accumulate: false);
                return [.. c, .. ct, .. g];
            }

            Assert.Equal(Run(1), Run(3));
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(20)]
    public void SampledProductAccumulatesOntoTheGradient(int n)
    {
        // Enough entries per row for the sixteen-entry groups, which also cross row ends.
        var random = new Random(9);
        int rows = 40, columns = 50;
        var pattern = SparsePattern.FromMask(RandomMask(rows, columns, 0.3, random), rows, columns);
        var a = RandomValues(rows * n, random);
        var b = RandomValues(columns * n, random);
        var product = new float[pattern.NonzeroCount];
        SparseGemm.SampledProduct(pattern, a, n, b, n, n, product, accumulate: false);
        var start = RandomValues(pattern.NonzeroCount, random);
        var g = (float[])start.Clone();
        SparseGemm.SampledProduct(pattern, a, n, b, n, n, g, accumulate: true);
        for (int k = 0; k < g.Length; k++)
        {
            Assert.Equal(start[k] + product[k], g[k]);
        }

        var full = new float[rows * columns];
        Gemm.Multiply(false, true, rows, columns, n, a, n, b, n, full, columns, accumulate: false);
        var expected = new float[pattern.NonzeroCount];
        pattern.Gather(full, expected);
        AssertClose(expected, product);
    }

    [Fact]
    public void PatternIndexesRowsAndColumnsConsistently()
    {
        float[] mask = [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1];
        var pattern = SparsePattern.FromMask(mask, 3, 4);
        Assert.Equal([0, 2, 3, 5], pattern.RowStart.ToArray());
        Assert.Equal([1, 3, 0, 1, 3], pattern.ColumnIndex.ToArray());
        Assert.Equal([1, 3, 4, 9, 11], pattern.FlatIndex.ToArray());
        Assert.Equal([0, 1, 3, 3, 5], pattern.ColumnStart.ToArray());
        Assert.Equal([1, 0, 2, 0, 2], pattern.RowIndex.ToArray());
        Assert.Equal([2, 0, 3, 1, 4], pattern.CsrPosition.ToArray());
        Assert.Equal(5.0 / 12, pattern.Density);
    }

    [Fact]
    public void RejectsBuffersThatAreTooSmall()
    {
        var pattern = SparsePattern.Full(4, 5);
        var values = new float[20];
        Assert.Throws<ArgumentException>(() => SparseGemm.Multiply(pattern, values, new float[5 * 8 - 1], 8, 8, new float[4 * 8], 8));
        Assert.Throws<ArgumentException>(() => SparseGemm.Multiply(pattern, new float[19], new float[5 * 8], 8, 8, new float[4 * 8], 8));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + MathF.Abs(expected[i])), $"[{i}] expected {expected[i]}, got {actual[i]}");
        }
    }
}
