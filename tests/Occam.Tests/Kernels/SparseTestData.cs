using Occam.Kernels;

namespace Occam.Tests.Kernels;

/// <summary>Random sparse operands shared by the sparse-kernel tests.</summary>
internal static class SparseTestData
{
    /// <summary>Every SIMD path this process can run the kernels on, scalar code first.</summary>
    public static SimdPath[] SupportedPaths { get; } = Enum.GetValues<SimdPath>().Where(Simd.Supports).ToArray();

    /// <summary>Uniform values in [-1, 1).</summary>
    public static float[] RandomValues(int length, Random random)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>A random [rows, columns] mask of about <paramref name="density"/>, with an empty first row and last column when there is more than one of each.</summary>
    public static float[] RandomMask(int rows, int columns, double density, Random random)
    {
        var mask = new float[rows * columns];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextDouble() < density ? 1f : 0f;
        }

        if (rows > 1 && columns > 1)
        {
            mask.AsSpan(0, columns).Clear();
            for (int r = 0; r < rows; r++)
            {
                mask[r * columns + columns - 1] = 0f;
            }
        }

        return mask;
    }

    /// <summary>Random weights zeroed off <paramref name="mask"/>: their pattern, live values (CSR order) and the dense matrix.</summary>
    public static (SparsePattern Pattern, float[] Values, float[] Dense) MaskedWeights(float[] mask, int rows, int columns, Random random)
    {
        var dense = RandomValues(rows * columns, random);
        for (int i = 0; i < dense.Length; i++)
        {
            dense[i] *= mask[i];
        }

        var pattern = SparsePattern.FromMask(mask, rows, columns);
        var values = new float[pattern.NonzeroCount];
        pattern.Gather(dense, values);
        return (pattern, values, dense);
    }
}
