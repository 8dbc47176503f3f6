using Occam.Kernels;

namespace Occam.Tests.Kernels;

public class TransposeTests
{
    public static TheoryData<int, int, int, int> BlockCases()
    {
        // Every register block (AVX 8×8, Vector128 4×4, none), each where this machine has it, over shapes with and
        // without edges, with a target stride both longer and shorter than the source's (the two loop orders).
        var data = new TheoryData<int, int, int, int>();
        foreach (int block in Enum.GetValues<SimdPath>().Where(p => p <= Simd.Path).Select(Transpose.BlockFor).Distinct())
        {
            foreach (var (rows, columns, targetPadding) in new[] { (1, 1, 0), (4, 4, 0), (8, 8, 3), (13, 21, 0), (13, 21, 40), (32, 784, 0), (70, 9, 5) })
            {
                data.Add(block, rows, columns, targetPadding);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BlockCases))]
    public void EveryRegisterBlockTransposesEveryShape(int block, int rows, int columns, int targetPadding)
    {
        int sourceStride = columns + 2;
        int targetStride = rows + targetPadding;
        var source = Enumerable.Range(0, rows * sourceStride).Select(i => (float)i).ToArray();
        var target = Enumerable.Repeat(-1f, columns * targetStride).ToArray();
        Transpose.Strided(block, ref source[0], rows, columns, sourceStride, ref target[0], targetStride);
        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < targetStride; r++)
            {
                // Past the rows the target keeps what it had.
                float expected = r < rows ? source[(r * sourceStride) + c] : -1f;
                Assert.Equal(expected, target[(c * targetStride) + r]);
            }
        }
    }

    [Fact]
    public void EachVectorPathHasItsRegisterBlock()
    {
        Assert.Equal(8, Transpose.BlockFor(SimdPath.Vector512));
        Assert.Equal(8, Transpose.BlockFor(SimdPath.Vector256));
        Assert.Equal(4, Transpose.BlockFor(SimdPath.Vector128));
        Assert.Equal(0, Transpose.BlockFor(SimdPath.Scalar));
    }

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
