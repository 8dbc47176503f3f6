namespace Occam.Kernels;

/// <summary>Out-of-place transpose of a row-major matrix, in cache-sized tiles.</summary>
public static class Transpose
{
    private const int Tile = 32;

    /// <summary>Writes the [columns, rows] transpose of the row-major [rows, columns] <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static void Matrix(ReadOnlySpan<float> source, int rows, int columns, Span<float> target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long length = (long)rows * columns;
        if (source.Length < length || target.Length < length)
        {
            throw new ArgumentException($"A [{rows}, {columns}] transpose needs {length} floats on both sides.");
        }

        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < columns; c0 += Tile)
            {
                int c1 = Math.Min(columns, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    var row = source.Slice(r * columns, columns);
                    for (int c = c0; c < c1; c++)
                    {
                        target[c * rows + r] = row[c];
                    }
                }
            }
        }
    }
}
