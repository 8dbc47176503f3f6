using Occam.Kernels;
using Occam.Tests.Support;

namespace Occam.Tests.Kernels;

public class Im2ColTests
{
    [Theory]
    [InlineData(1, 5, 5, 3, 1, 1, 5, 5)]
    [InlineData(3, 6, 4, 3, 0, 0, 4, 2)]
    [InlineData(2, 5, 7, 2, 0, 0, 5, 7)]
    [InlineData(2, 4, 4, 1, 0, 0, 4, 4)]
    [InlineData(1, 3, 3, 5, 2, 2, 3, 3)]
    public void Col2ImIsTheAdjointOfIm2Col(int channels, int height, int width, int k, int padTop, int padLeft, int outHeight, int outWidth)
    {
        var image = TestData.Uniform(1, channels * height * width).Span;
        var columnsProbe = TestData.Uniform(2, channels * k * k * outHeight * outWidth).Span;
        var columns = new float[columnsProbe.Length];
        var imageBack = new float[image.Length];

        Im2Col.Forward(image, channels, height, width, k, padTop, padLeft, outHeight, outWidth, columns);
        Im2Col.Backward(columnsProbe, channels, height, width, k, padTop, padLeft, outHeight, outWidth, imageBack);

        double left = Dot(columns, columnsProbe);
        double right = Dot(imageBack, image);
        Assert.Equal(left, right, 4);
        Assert.NotEqual(0.0, left);
    }

    [Fact]
    public void Im2ColPlacesPixelsAndPadding()
    {
        // One 2×2 image, 2×2 kernel, 'same' padding as in TensorFlow (extra row/column at the bottom/right).
        float[] image = [1, 2, 3, 4];
        var columns = new float[4 * 4];
        Im2Col.Forward(image, 1, 2, 2, 2, 0, 0, 2, 2, columns);
        float[] expected =
        [
            1, 2, 3, 4, // (ki, kj) = (0, 0)
            2, 0, 4, 0, // (0, 1)
            3, 4, 0, 0, // (1, 0)
            4, 0, 0, 0, // (1, 1)
        ];
        Assert.Equal(expected, columns);
    }

    [Fact]
    public void Col2ImOverwritesItsOutput()
    {
        var columns = new float[9 * 9];
        columns.AsSpan().Fill(1f);
        var image = new float[9];
        image.AsSpan().Fill(100f);
        Im2Col.Backward(columns, 1, 3, 3, 3, 1, 1, 3, 3, image);
        // Each pixel of a 3×3 'same' convolution is read by as many outputs as its neighbourhood holds.
        Assert.Equal([4f, 6, 4, 6, 9, 6, 4, 6, 4], image);
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
