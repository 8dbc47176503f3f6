using Occam.Kernels;

namespace Occam.Tests.Kernels;

public class ActivationsTests
{
    private static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    private static float[] Inputs(int length)
    {
        var random = new Random(3);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)((random.NextDouble() * 2 - 1) * 6);
        }

        return x;
    }

    public static TheoryData<SimdPath> Paths() => [.. Enum.GetValues<SimdPath>().Where(p => p <= Simd.Path)];

    [Theory]
    [MemberData(nameof(Paths))]
    public void ReluBackwardPassesTheGradientWhereTheOutputIsPositiveOnEveryPath(SimdPath path)
    {
        // Not a multiple of any vector width; zeros, negative zero and NaN outputs all block the gradient.
        float[] y = Inputs(67);
        y[3] = 0f;
        y[20] = -0f;
        y[33] = float.NaN;
        y[66] = 1e-30f;
        float[] dy = [.. Inputs(134).Skip(67)];
        var dx = Enumerable.Repeat(99f, y.Length).ToArray();
        Activations.ReluBackward(path, y, dy, dx);
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(y[i] > 0f ? dy[i] : 0f, dx[i]);
        }

        Assert.Equal(dy[66], dx[66]);
        Assert.Throws<ArgumentException>(() => Activations.ReluBackward(path, y, dy, new float[5]));
    }

    [Fact]
    public void GeluForwardMatchesTheTanhFormula()
    {
        // Longer than one internal chunk, and not a multiple of it.
        float[] x = Inputs(601);
        var y = new float[x.Length];
        Activations.GeluForward(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(Gelu(x[i]), y[i], 1e-5);
        }

        // Known points: GELU(0) = 0, GELU(1) ≈ 0.841192, GELU(−1) ≈ −0.158808.
        var known = new float[3];
        Activations.GeluForward([0f, 1f, -1f], known);
        Assert.Equal(0f, known[0]);
        Assert.Equal(0.841192, known[1], 1e-5);
        Assert.Equal(-0.158808, known[2], 1e-5);
    }

    [Fact]
    public void GeluBackwardMatchesFiniteDifferencesTimesUpstreamGradient()
    {
        float[] x = Inputs(517);
        float[] dy = Inputs(517);
        var dx = new float[x.Length];
        Activations.GeluBackward(x, dy, dx);
        const double h = 1e-4;
        for (int i = 0; i < x.Length; i++)
        {
            double slope = (Gelu(x[i] + h) - Gelu(x[i] - h)) / (2 * h);
            Assert.Equal(slope * dy[i], dx[i], 1e-4);
        }
    }

    [Fact]
    public void GeluWorksInPlace()
    {
        float[] x = Inputs(300);
        var expected = new float[x.Length];
        Activations.GeluForward(x, expected);
        float[] inPlace = (float[])x.Clone();
        Activations.GeluForward(inPlace, inPlace);
        Assert.Equal(expected, inPlace);

        float[] dy = Inputs(300);
        var expectedGrad = new float[x.Length];
        Activations.GeluBackward(x, dy, expectedGrad);
        Activations.GeluBackward(x, dy, dy);
        Assert.Equal(expectedGrad, dy);
    }

    [Fact]
    public void GeluRejectsMismatchedLengths()
    {
        Assert.Throws<ArgumentException>(() => Activations.GeluForward(new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => Activations.GeluBackward(new float[3], new float[3], new float[4]));
    }
}
