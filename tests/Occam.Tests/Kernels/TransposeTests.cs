using Occam.Kernels;

namespace Occam.Tests.Kernels;

public class TransposeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 8)]
    [InlineData(13, 21)]
    [InlineData(32, 784)]
    [InlineData(70, 9)]
    public void TransposesEveryShape(int rows, int columns)
    {
        var source = Enumerable.Range(0, rows * columns).Select(i => (float)i).ToArray();
        var target = new float[rows * columns];
        Transpose.Matrix(source, rows, columns, target);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                Assert.Equal(source[r * columns + c], target[c * rows + r]);
            }
        }
    }
}
