using Occam.Kernels;

namespace Occam.Tests.Kernels;

public class GemmTests
{
    private const int Padding = 3;
    private const float Sentinel = 12345f;

    // (m, n, k): every dimension takes the awkward sizes 1, 3, 17, 255 and 1023 somewhere; several cross the
    // parallel threshold, k = 1023 spans several k blocks, and 1023 rows/columns leave edge tiles on both sides.
    // n ≤ 16 with k ≥ the vector width takes the dot-product path for C = A·Bᵀ: odd m, n not a multiple of 4, a
    // k tail, in parallel (257 × 10 × 1000) and not. The 6-row tiles of the 256- and 128-bit kernels leave edges
    // at m = 32 and 255 too.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 3, 17), (3, 17, 1), (17, 1, 3), (17, 17, 17), (3, 1023, 17),
        (1023, 3, 17), (17, 255, 1023), (1023, 17, 255), (255, 255, 255), (33, 1023, 65),
        (257, 10, 1000), (32, 16, 1024),
    ];

    public static TheoryData<string, int, int, int> Cases()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var kernel in SupportedKernels())
        {
            foreach (var (m, n, k) in Shapes)
            {
                data.Add(kernel.ToString(), m, n, k);
            }
        }

        return data;
    }

    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var kernel in SupportedKernels())
        {
            data.Add(kernel.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDoubleReferenceForEveryTransposeAndAccumulateCase(string kernelName, int m, int n, int k)
    {
        var kernel = Enum.Parse<GemmKernelKind>(kernelName);
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    var operands = Operands.Create(transposeA, transposeB, m, n, k, seed: (m * 31) + (n * 7) + k);
                    float[] c = (float[])operands.C.Clone();
                    Gemm.Multiply(kernel, 2, transposeA, transposeB, m, n, k, operands.A, operands.Lda, operands.B, operands.Ldb, c, operands.Ldc, accumulate);
                    AssertMatchesReference(operands, c, accumulate, $"{kernel} {(transposeA ? 'T' : 'N')}{(transposeB ? 'T' : 'N')} acc={accumulate}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ResultsAreBitIdenticalAcrossCallsAndThreadCounts(string kernelName)
    {
        var kernel = Enum.Parse<GemmKernelKind>(kernelName);
        foreach (var (transposeA, transposeB) in new[] { (false, false), (true, false), (false, true) })
        {
            var operands = Operands.Create(transposeA, transposeB, 255, 300, 600, seed: 5);
            float[] first = Run(operands, kernel, threads: 1);
            Assert.Equal(first, Run(operands, kernel, threads: 1));
            Assert.Equal(first, Run(operands, kernel, threads: 2));
            Assert.Equal(first, Run(operands, kernel, threads: 3));
        }

        // A classifier's few columns (the dot-product path for C = A·Bᵀ).
        var narrow = Operands.Create(false, true, 257, 10, 1000, seed: 6);
        Assert.Equal(Run(narrow, kernel, threads: 1), Run(narrow, kernel, threads: 3));
        var batchOf32 = Operands.Create(false, true, 32, 10, 1024, seed: 7);
        Assert.Equal(Run(batchOf32, kernel, threads: 1), Run(batchOf32, kernel, threads: 2));

        static float[] Run(Operands operands, GemmKernelKind kernel, int threads)
        {
            float[] c = (float[])operands.C.Clone();
            Gemm.Multiply(kernel, threads, operands.TransposeA, operands.TransposeB, operands.M, operands.N, operands.K, operands.A, operands.Lda, operands.B, operands.Ldb, c, operands.Ldc, accumulate: true);
            return c;
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryVectorKindRunsTheDotKernelForAFewColumnsOfABTransposed(string kernelName)
    {
        // The shapes above that must take the dot-product path on every vector width, so it is the one tested.
        var kernel = Enum.Parse<GemmKernelKind>(kernelName);
        bool vector = kernel != GemmKernelKind.Scalar;
        Assert.Equal(vector, GemmDot.Serves(kernel, false, true, 10, 1000));
        Assert.Equal(vector, GemmDot.Serves(kernel, false, true, 16, 1024));
        Assert.False(GemmDot.Serves(kernel, false, true, 17, 1024));
        Assert.False(GemmDot.Serves(kernel, false, false, 10, 1000));
        Assert.False(GemmDot.Serves(kernel, false, true, 10, 3));
    }

    [Fact]
    public void TheBestKernelFollowsTheSimdPathAndNamesItsTile()
    {
        Assert.Equal(GemmKernelSelection.For(Simd.Path), GemmKernelSelection.Best);
        Assert.Equal("gemm 8x32 vector512", GemmKernelSelection.Describe(GemmKernelKind.Vector512));
        Assert.Equal("gemm 6x16 vector256", GemmKernelSelection.Describe(GemmKernelKind.Vector256));
        Assert.Equal("gemm 6x8 vector128", GemmKernelSelection.Describe(GemmKernelKind.Vector128));
        Assert.Equal("gemm 4x4 scalar", GemmKernelSelection.Describe(GemmKernelKind.Scalar));
        Assert.Equal(GemmKernelSelection.Describe(GemmKernelSelection.Best), Gemm.DescribeKernel(false, false, 1024, 1024));
        Assert.Equal(
            GemmKernelSelection.Best == GemmKernelKind.Scalar ? "gemm 4x4 scalar" : GemmDot.Describe(GemmKernelSelection.Best),
            Gemm.DescribeKernel(false, true, 10, 1024));
    }

    [Fact]
    public void PublicEntryPointUsesTheBestKernelAndMatchesTheReference()
    {
        var operands = Operands.Create(false, true, 32, 200, 100, seed: 9);
        float[] c = (float[])operands.C.Clone();
        Gemm.Multiply(false, true, 32, 200, 100, operands.A, operands.Lda, operands.B, operands.Ldb, c, operands.Ldc, accumulate: false);
        AssertMatchesReference(operands, c, accumulate: false, "public");
    }

    [Fact]
    public void ZeroDepthClearsOrKeepsC()
    {
        float[] c = [1f, 2f, 3f, 4f];
        Gemm.Multiply(false, false, 2, 2, 0, [], 0, [], 2, c, 2, accumulate: true);
        Assert.Equal([1f, 2f, 3f, 4f], c);
        Gemm.Multiply(false, false, 2, 2, 0, [], 0, [], 2, c, 2, accumulate: false);
        Assert.Equal([0f, 0f, 0f, 0f], c);
    }

    [Fact]
    public void RejectsOperandsThatDoNotFitTheirSpans()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 2, b, 2, c, 2, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b.AsSpan(0, 5), 2, c, 2, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c.AsSpan(0, 3), 2, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 3, a, 3, b, 2, c, 2, false));
    }

    private static IEnumerable<GemmKernelKind> SupportedKernels() =>
        Enum.GetValues<GemmKernelKind>().Where(GemmKernelSelection.IsSupported);

    /// <summary>Checks C against a double-accumulated reference, within a bound that grows with k.</summary>
    private static void AssertMatchesReference(Operands o, float[] c, bool accumulate, string label)
    {
        for (int i = 0; i < o.M; i++)
        {
            for (int j = 0; j < o.N; j++)
            {
                double expected = accumulate ? o.C[(i * o.Ldc) + j] : 0;
                double magnitude = Math.Abs(expected);
                for (int p = 0; p < o.K; p++)
                {
                    double product = (double)o.OpA(i, p) * o.OpB(p, j);
                    expected += product;
                    magnitude += Math.Abs(product);
                }

                // Worst-case float summation error is about k·ε·Σ|terms|.
                double tolerance = (o.K + 2) * 1.2e-7 * magnitude;
                double actual = c[(i * o.Ldc) + j];
                if (Math.Abs(actual - expected) > tolerance)
                {
                    Assert.Fail($"{label} m={o.M} n={o.N} k={o.K}: C[{i},{j}] = {actual}, expected {expected} ± {tolerance}");
                }
            }

            // The padding between rows (leading dimension > n) must be left alone.
            for (int j = o.N; j < o.Ldc && (i * o.Ldc) + j < c.Length; j++)
            {
                Assert.Equal(Sentinel, c[(i * o.Ldc) + j]);
            }
        }
    }

    /// <summary>Random operands stored with leading dimensions larger than their rows.</summary>
    private sealed record Operands(bool TransposeA, bool TransposeB, int M, int N, int K, float[] A, int Lda, float[] B, int Ldb, float[] C, int Ldc)
    {
        public static Operands Create(bool transposeA, bool transposeB, int m, int n, int k, int seed)
        {
            var random = new Random(seed);
            int aRows = transposeA ? k : m, aColumns = transposeA ? m : k;
            int bRows = transposeB ? n : k, bColumns = transposeB ? k : n;
            int lda = aColumns + Padding, ldb = bColumns + Padding, ldc = n + Padding;
            float[] a = Fill(aRows, aColumns, lda, random);
            float[] b = Fill(bRows, bColumns, ldb, random);
            float[] c = Fill(m, n, ldc, random);
            return new Operands(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        }

        public float OpA(int i, int p) => TransposeA ? A[(p * Lda) + i] : A[(i * Lda) + p];

        public float OpB(int p, int j) => TransposeB ? B[(j * Ldb) + p] : B[(p * Ldb) + j];

        private static float[] Fill(int rows, int columns, int ld, Random random)
        {
            // The last row stops at its last column, so the span is exactly as long as the operand needs.
            float[] values = new float[((rows - 1) * ld) + columns];
            Array.Fill(values, Sentinel);
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < columns; j++)
                {
                    values[(r * ld) + j] = (float)((random.NextDouble() * 2) - 1);
                }
            }

            return values;
        }
    }
}
