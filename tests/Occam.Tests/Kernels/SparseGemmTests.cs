using Occam.Kernels;
using Occam.Tests.Layers;
using static Occam.Tests.Kernels.SparseTestData;

namespace Occam.Tests.Kernels;

// It changes the kernel thread count, which keys the kernel calibration of every test running beside it.
[Collection(nameof(KernelCalibrationCollection))]
public class SparseGemmTests
{
    public static TheoryData<double, int, SimdPath> ProductCases()
    {
        var data = new TheoryData<double, int, SimdPath>();
        foreach (var path in SupportedPaths)
        {
            // n = 100 and 200 cover the blocks of eight, four and one vectors on every width, 20 and 33 the loop tails.
            foreach (var (density, n) in new[] { (1.0, 1), (0.5, 16), (0.5, 20), (0.1, 33), (0.1, 100), (0.3, 200), (0.01, 64), (0.0, 32), (0.6, 32) })
            {
                data.Add(density, n, path);
            }
        }

        return data;
    }

    [Fact]
    public void EveryWidthThisMachineAcceleratesIsTested()
    {
        Assert.Equal(SimdPath.Scalar, SupportedPaths[0]);
        Assert.Equal(Simd.Path, SupportedPaths[^1]);
        Assert.Equal((int)Simd.Path + 1, SupportedPaths.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseGemm.MultiplyOn(SparsePattern.Full(1, 1), new float[1], new float[1], 1, 1, new float[1], 1, (SimdPath)99));
    }

    [Theory]
    [MemberData(nameof(ProductCases))]
    public void ProductsMatchTheDenseReference(double density, int n, SimdPath path)
    {
        var random = new Random(3);
        int rows = 23, columns = 31;
        var mask = RandomMask(rows, columns, density, random);
        var (pattern, values, dense) = MaskedWeights(mask, rows, columns, random);
        var b = RandomValues(columns * n, random);
        var bt = RandomValues(rows * n, random);

        var c = new float[rows * n];
        SparseGemm.MultiplyOn(pattern, values, b, n, n, c, n, path);
        var expected = new float[rows * n];
        Gemm.Multiply(false, false, rows, n, columns, dense, columns, b, n, expected, n, accumulate: false);
        AssertClose(expected, c);

        var ct = new float[columns * n];
        SparseGemm.MultiplyTransposedOn(pattern, values, bt, n, n, ct, n, path);
        var expectedT = new float[columns * n];
        Gemm.Multiply(true, false, columns, n, rows, dense, columns, bt, n, expectedT, n, accumulate: false);
        AssertClose(expectedT, ct);

        // g = (bt · bᵀ) at the live entries.
        var g = new float[pattern.NonzeroCount];
        SparseGemm.SampledProductOn(pattern, bt, n, b, n, n, g, accumulate: false, path);
        var full = new float[rows * columns];
        Gemm.Multiply(false, true, rows, columns, n, bt, n, b, n, full, columns, accumulate: false);
        var sampled = new float[pattern.NonzeroCount];
        pattern.Gather(full, sampled);
        AssertClose(sampled, g);
        Assert.Equal(mask.Count(m => m != 0), pattern.NonzeroCount);
    }

    public static TheoryData<SimdPath, int> PathsAndBatches()
    {
        var data = new TheoryData<SimdPath, int>();
        foreach (var path in SupportedPaths)
        {
            data.Add(path, 32);
            data.Add(path, 48);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndBatches))]
    public void ResultsDoNotDependOnTheThreadCount(SimdPath path, int n)
    {
        var random = new Random(5);
        int rows = 300, columns = 200;
        var pattern = SparsePattern.FromMask(RandomMask(rows, columns, 0.2, random), rows, columns);
        var values = RandomValues(pattern.NonzeroCount, random);
        var b = RandomValues(columns * n, random);
        var a = RandomValues(rows * n, random);
        float[] Run(int threads)
        {
            using var scope = Parallelism.Use(threads);
            var c = new float[rows * n];
            var ct = new float[columns * n];
            var g = new float[pattern.NonzeroCount];
            SparseGemm.MultiplyOn(pattern, values, b, n, n, c, n, path);
            SparseGemm.MultiplyTransposedOn(pattern, values, a, n, n, ct, n, path);
            SparseGemm.SampledProductOn(pattern, a, n, b, n, n, g, accumulate: false, path);
            return [.. c, .. ct, .. g];
        }

        Assert.Equal(Run(1), Run(3));
    }

    public static TheoryData<SimdPath, int> SampledCases()
    {
        var data = new TheoryData<SimdPath, int>();
        foreach (var path in SupportedPaths)
        {
            foreach (int n in new[] { 32, 48, 20, 3 })
            {
                data.Add(path, n);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampledCases))]
    public void SampledProductAccumulatesOntoTheGradient(SimdPath path, int n)
    {
        // Enough entries per row for the sixteen-entry groups, which also cross row ends.
        var random = new Random(9);
        var (pattern, a, b) = SampledOperands(n, random);
        int rows = pattern.Rows, columns = pattern.Columns;
        var product = new float[pattern.NonzeroCount];
        SparseGemm.SampledProductOn(pattern, a, n, b, n, n, product, accumulate: false, path);
        var start = RandomValues(pattern.NonzeroCount, random);
        var g = (float[])start.Clone();
        SparseGemm.SampledProductOn(pattern, a, n, b, n, n, g, accumulate: true, path);
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

    [Theory]
    [MemberData(nameof(SampledCases))]
    public void AnEntrysGradientDoesNotDependOnWhereItsGroupStarts(SimdPath path, int n)
    {
        // Starting at row 1 to 5 instead of 0 shifts every entry's place in the groups of four (or sixteen) entries
        // reduced together and moves entries between groups and the leftover loop; each entry's sum must not move.
        var (pattern, a, b) = SampledOperands(n, new Random(12));
        int rows = pattern.Rows;
        int[] start = pattern.RowStartArray;
        var whole = new float[pattern.NonzeroCount];
        SparseGemm.SampledRows(path, start, pattern.ColumnIndexArray, a, n, b, n, whole, n, accumulate: false, 0, rows);
        Assert.Contains(Enumerable.Range(1, 5), first => start[first] % 4 != 0);
        for (int first = 1; first <= 5; first++)
        {
            var part = new float[pattern.NonzeroCount];
            SparseGemm.SampledRows(path, start, pattern.ColumnIndexArray, a, n, b, n, part, n, accumulate: false, first, rows);
            Assert.All(part.Take(start[first]), v => Assert.Equal(0f, v));
            Assert.Equal(whole.Skip(start[first]), part.Skip(start[first]));
        }
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

    /// <summary>A [40, 50] pattern of density 0.3 with A [40, n] and B [50, n].</summary>
    private static (SparsePattern Pattern, float[] A, float[] B) SampledOperands(int n, Random random)
    {
        int rows = 40, columns = 50;
        var pattern = SparsePattern.FromMask(RandomMask(rows, columns, 0.3, random), rows, columns);
        return (pattern, RandomValues(rows * n, random), RandomValues(columns * n, random));
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
