using Occam.Kernels;
using Occam.Tests.Layers;
using static Occam.Tests.Kernels.SparseTestData;

namespace Occam.Tests.Kernels;

// It changes the kernel thread count, which keys the kernel calibration of every test running beside it.
[Collection(nameof(KernelCalibrationCollection))]
public class SparseLinearTests
{
    /// <summary>Y = X·Wᵀ (+ b) through the dense GEMM, for a dense W holding zeros at the pruned entries.</summary>
    private static float[] DenseReference(float[] x, float[] w, float[]? bias, int n, int rows, int columns)
    {
        var y = new float[n * rows];
        Gemm.Multiply(false, true, n, rows, columns, x, columns, w, columns, y, rows, accumulate: false);
        if (bias is not null)
        {
            for (int i = 0; i < n; i++)
            {
                for (int o = 0; o < rows; o++)
                {
                    y[i * rows + o] += bias[o];
                }
            }
        }

        return y;
    }

    public static TheoryData<double, int, bool, SimdPath> Cases()
    {
        var data = new TheoryData<double, int, bool, SimdPath>();
        foreach (var path in SupportedPaths)
        {
            foreach (double density in new[] { 1.0, 0.5, 0.1, 0.01, 0.0 })
            {
                // Slabs of 32 and 128, full and partial: every block of eight, four, two and one vectors on every width.
                foreach (int n in new[] { 1, 20, 32, 45, 100, 128, 300 })
                {
                    data.Add(density, n, n % 2 == 0, path);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheDenseProductAndLeavesTheSlabs(double density, int n, bool withBias, SimdPath path)
    {
        var random = new Random(11);
        int rows = 37, columns = 29;
        var (pattern, values, w) = MaskedWeights(RandomMask(rows, columns, density, random), rows, columns, random);
        var x = RandomValues(n * columns, random);
        float[]? bias = withBias ? RandomValues(rows, random) : null;
        var slabs = new float[SparseLinear.WorkspaceLength(columns, n)];
        Array.Fill(slabs, float.NaN);
        var y = new float[n * rows];
        SparseLinear.ForwardOn(pattern, values, bias ?? default(ReadOnlyMemory<float>), x, n, slabs, y, rectify: false, head: null, path);

        var expected = DenseReference(x, w, bias, n, rows, columns);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - y[i]) <= 1e-4f * (1 + MathF.Abs(expected[i])), $"y[{i}]: dense {expected[i]}, sparse {y[i]}");
        }

        // Slab q holds examples [width · q, width · (q + 1)) transposed, zero past the last example.
        int width = SparseLinear.SlabWidthFor(n);
        Assert.Equal(n <= 32 ? 32 : 128, width);
        for (int q = 0; q * width < n; q++)
        {
            for (int c = 0; c < columns; c++)
            {
                for (int j = 0; j < width; j++)
                {
                    int example = q * width + j;
                    float expectedSlab = example < n ? x[example * columns + c] : 0f;
                    Assert.Equal(expectedSlab, slabs[(q * columns + c) * width + j]);
                }
            }
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(100)]
    public void ARectifiedForwardIsTheReluOfTheForward(int n)
    {
        var random = new Random(3);
        int rows = 70, columns = 50;
        var pattern = SparsePattern.FromMask(RandomMask(rows, columns, 0.3, random), rows, columns);
        var values = RandomValues(pattern.NonzeroCount, random);
        var bias = RandomValues(rows, random);
        var x = RandomValues(n * columns, random);
        var plain = new float[n * rows];
        var rectified = new float[n * rows];
        SparseLinear.Forward(pattern, values, bias, x, n, new float[SparseLinear.WorkspaceLength(columns, n)], plain);
        SparseLinear.Forward(pattern, values, bias, x, n, new float[SparseLinear.WorkspaceLength(columns, n)], rectified, rectify: true);

        Assert.Contains(plain, v => v < 0f);
        Assert.Equal(plain.Select(v => MathF.Max(v, 0f)), rectified);
    }

    public static TheoryData<int, double, SimdPath> HeadCases()
    {
        var data = new TheoryData<int, double, SimdPath>();
        foreach (var path in SupportedPaths)
        {
            foreach (int n in new[] { 1, 20, 32, 45, 300 })
            {
                foreach (double headDensity in new[] { 1.0, 0.3, 0.0 })
                {
                    data.Add(n, headDensity, path);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HeadCases))]
    public void AHeadComputesTheNarrowLayerOverTheRectifiedOutput(int n, double headDensity, SimdPath path)
    {
        var random = new Random(6);
        int rows = 90, columns = 40, outputs = 7;
        var pattern = SparsePattern.FromMask(RandomMask(rows, columns, 0.2, random), rows, columns);
        var values = RandomValues(pattern.NonzeroCount, random);
        var bias = RandomValues(rows, random);
        var x = RandomValues(n * columns, random);
        var (headPattern, headValues, headWeight) = MaskedWeights(RandomMask(outputs, rows, headDensity, random), outputs, rows, random);
        var headBias = RandomValues(outputs, random);

        var hidden = new float[n * rows];
        SparseLinear.ForwardOn(pattern, values, bias, x, n, new float[SparseLinear.WorkspaceLength(columns, n)], hidden, rectify: true, head: null, path);
        var expected = new float[n * outputs];
        Gemm.Multiply(false, true, n, outputs, rows, hidden, rows, headWeight, rows, expected, outputs, accumulate: false);
        var z = new float[n * outputs];
        Array.Fill(z, float.NaN);
        var head = new SparseHead(headPattern, headValues, headBias, z);
        SparseLinear.ForwardOn(pattern, values, bias, x, n, new float[SparseLinear.WorkspaceLength(columns, n)], default, rectify: true, head, path);

        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i] + headBias[i % outputs];
            Assert.True(MathF.Abs(e - z[i]) <= 1e-4f * (1 + MathF.Abs(e)), $"z[{i}]: expected {e}, got {z[i]}");
        }
    }

    public static TheoryData<SimdPath> Paths() => [.. SupportedPaths];

    [Theory]
    [MemberData(nameof(Paths))]
    public void AHeadGivesTheSameBitsOnAnyNumberOfThreads(SimdPath path)
    {
        var random = new Random(8);
        int rows = 300, columns = 200, outputs = 10, n = 150;
        var pattern = SparsePattern.FromMask(RandomMask(rows, columns, 0.2, random), rows, columns);
        var values = RandomValues(pattern.NonzeroCount, random);
        var headPattern = SparsePattern.Full(outputs, rows);
        var headValues = RandomValues(headPattern.NonzeroCount, random);
        var x = RandomValues(n * columns, random);
        float[] Run() => ForwardInto(new float[n * outputs], z => SparseLinear.ForwardOn(pattern, values, default, x, n,
            new float[SparseLinear.WorkspaceLength(columns, n)], default, rectify: true, new SparseHead(headPattern, headValues, default, z), path));

        var one = OnThreads(1, Run);
        Assert.Equal(one, OnThreads(2, Run));
        Assert.Equal(one, OnThreads(3, Run));
    }

    [Fact]
    public void RejectsAHeadThatDoesNotFit()
    {
        var pattern = SparsePattern.Full(4, 5);
        var values = new float[20];
        var slabs = new float[SparseLinear.WorkspaceLength(5, 8)];
        var x = new float[5 * 8];
        Assert.Throws<ArgumentException>(() => SparseLinear.Forward(pattern, values, default, x, 8, slabs, default, head: new SparseHead(SparsePattern.Full(2, 3), new float[6], default, new float[16])));
        Assert.Throws<ArgumentException>(() => SparseLinear.Forward(pattern, values, default, x, 8, slabs, default, head: new SparseHead(SparsePattern.Full(17, 4), new float[68], default, new float[8 * 17])));
        Assert.Throws<ArgumentException>(() => SparseLinear.Forward(pattern, values, default, x, 8, slabs, default, head: new SparseHead(SparsePattern.Full(2, 4), new float[8], default, new float[15])));
        Assert.Throws<ArgumentException>(() => SparseLinear.Forward(pattern, values, default, x, 8, slabs, default, head: new SparseHead(SparsePattern.Full(2, 4), new float[7], default, new float[16])));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ResultsDoNotDependOnTheThreadCount(SimdPath path)
    {
        var random = new Random(5);
        int rows = 300, columns = 200, n = 90;
        var pattern = SparsePattern.FromMask(RandomMask(rows, columns, 0.2, random), rows, columns);
        var values = RandomValues(pattern.NonzeroCount, random);
        var bias = RandomValues(rows, random);
        var x = RandomValues(n * columns, random);
        float[] Run() => ForwardInto(new float[n * rows], y => SparseLinear.ForwardOn(pattern, values, bias, x, n,
            new float[SparseLinear.WorkspaceLength(columns, n)], y, rectify: false, head: null, path));

        Assert.Equal(OnThreads(1, Run), OnThreads(3, Run));
    }

    private static float[] ForwardInto(float[] output, Action<float[]> forward)
    {
        forward(output);
        return output;
    }

    private static float[] OnThreads(int threads, Func<float[]> run)
    {
        using var scope = Parallelism.Use(threads);
        return run();
    }

    [Fact]
    public void RejectsBuffersThatAreTooSmall()
    {
        var pattern = SparsePattern.Full(4, 5);
        var values = new float[20];
        var slabs = new float[SparseLinear.WorkspaceLength(5, 8)];
        Assert.Equal(5 * 32, slabs.Length);
        Assert.Throws<ArgumentException>(() => SparseLinear.Forward(pattern, values, default, new float[5 * 8 - 1], 8, slabs, new float[4 * 8]));
        Assert.Throws<ArgumentException>(() => SparseLinear.Forward(pattern, values, default, new float[5 * 8], 8, new float[slabs.Length - 1], new float[4 * 8]));
        Assert.Throws<ArgumentException>(() => SparseLinear.Forward(pattern, values, new float[3], new float[5 * 8], 8, slabs, new float[4 * 8]));
        Assert.Throws<ArgumentException>(() => SparseLinear.Forward(pattern, values, default, new float[5 * 8], 8, slabs, new float[4 * 8 - 1]));
    }
}
