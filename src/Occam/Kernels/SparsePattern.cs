namespace Occam.Kernels;

/// <summary>
/// Where the live entries of a masked [rows, columns] matrix are: compressed sparse rows (CSR) for products with the
/// matrix and for its weight gradient, plus the same entries by column (CSC, pointing back into the CSR order) for
/// products with its transpose. Values are kept apart (in CSR order) so the pattern is rebuilt only when the mask
/// changes, while the values change every optimiser step.
/// </summary>
public sealed class SparsePattern
{
    private readonly int[] _rowStart;
    private readonly int[] _columnIndex;
    private readonly int[] _columnStart;
    private readonly int[] _rowIndex;
    private readonly int[] _csrPosition;
    private readonly int[] _flatIndex;

    private SparsePattern(int rows, int columns, int[] rowStart, int[] columnIndex, int[] columnStart, int[] rowIndex, int[] csrPosition, int[] flatIndex)
    {
        _flatIndex = flatIndex;
        Rows = rows;
        Columns = columns;
        _rowStart = rowStart;
        _columnIndex = columnIndex;
        _columnStart = columnStart;
        _rowIndex = rowIndex;
        _csrPosition = csrPosition;
    }

    /// <summary>Rows of the matrix.</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix.</summary>
    public int Columns { get; }

    /// <summary>Number of live entries.</summary>
    public int NonzeroCount => _columnIndex.Length;

    /// <summary>Live fraction of the entries (1 for an empty matrix).</summary>
    public double Density => Rows == 0 || Columns == 0 ? 1.0 : (double)NonzeroCount / ((long)Rows * Columns);

    /// <summary>CSR row starts: row r's entries are positions [RowStart[r], RowStart[r + 1]).</summary>
    public ReadOnlySpan<int> RowStart => _rowStart;

    /// <summary>The column of each entry, in CSR order (ascending within a row).</summary>
    public ReadOnlySpan<int> ColumnIndex => _columnIndex;

    /// <summary>CSC column starts: column c's entries are [ColumnStart[c], ColumnStart[c + 1]) of <see cref="RowIndex"/>.</summary>
    public ReadOnlySpan<int> ColumnStart => _columnStart;

    /// <summary>The row of each entry, in CSC order (ascending within a column).</summary>
    public ReadOnlySpan<int> RowIndex => _rowIndex;

    /// <summary>For each entry in CSC order, its position in CSR order (where its value is).</summary>
    public ReadOnlySpan<int> CsrPosition => _csrPosition;

    /// <summary>For each entry in CSR order, its index in the dense row-major matrix (row · Columns + column), ascending.</summary>
    public ReadOnlySpan<int> FlatIndex => _flatIndex;

    internal int[] RowStartArray => _rowStart;

    internal int[] ColumnIndexArray => _columnIndex;

    internal int[] ColumnStartArray => _columnStart;

    internal int[] RowIndexArray => _rowIndex;

    internal int[] CsrPositionArray => _csrPosition;

    /// <summary>Builds the pattern of the nonzero entries of <paramref name="mask"/>, a row-major [rows, columns] matrix.</summary>
    public static SparsePattern FromMask(ReadOnlySpan<float> mask, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (mask.Length != (long)rows * columns)
        {
            throw new ArgumentException($"A [{rows}, {columns}] pattern needs {(long)rows * columns} mask entries, got {mask.Length}.", nameof(mask));
        }

        int count = CountNonzero(mask);
        var rowStart = new int[rows + 1];
        var columnIndex = new int[count];
        var flatIndex = new int[count];
        var columnCount = new int[columns + 1];
        int k = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = mask.Slice(r * columns, columns);
            for (int c = 0; c < row.Length; c++)
            {
                if (row[c] != 0f)
                {
                    flatIndex[k] = r * columns + c;
                    columnIndex[k++] = c;
                    columnCount[c + 1]++;
                }
            }

            rowStart[r + 1] = k;
        }

        var columnStart = columnCount;
        for (int c = 0; c < columns; c++)
        {
            columnStart[c + 1] += columnStart[c];
        }

        // Rows are visited in order, so each column's entries come out sorted by row.
        var rowIndex = new int[count];
        var csrPosition = new int[count];
        var next = new int[columns];
        Array.Copy(columnStart, next, columns);
        for (int r = 0; r < rows; r++)
        {
            for (int p = rowStart[r]; p < rowStart[r + 1]; p++)
            {
                int slot = next[columnIndex[p]]++;
                rowIndex[slot] = r;
                csrPosition[slot] = p;
            }
        }

        return new SparsePattern(rows, columns, rowStart, columnIndex, columnStart, rowIndex, csrPosition, flatIndex);
    }

    /// <summary>The pattern of a [rows, columns] matrix whose entries are all live.</summary>
    public static SparsePattern Full(int rows, int columns)
    {
        var ones = new float[(long)rows * columns];
        Array.Fill(ones, 1f);
        return FromMask(ones, rows, columns);
    }

    /// <summary>Copies the live entries of the dense row-major <paramref name="dense"/> into <paramref name="values"/> (CSR order).</summary>
    public void Gather(ReadOnlySpan<float> dense, Span<float> values)
    {
        CheckDense(dense.Length, values.Length);
        var flat = _flatIndex;
        for (int k = 0; k < flat.Length; k++)
        {
            values[k] = dense[flat[k]];
        }
    }

    /// <summary>Writes <paramref name="values"/> (CSR order) into the live entries of <paramref name="dense"/>, leaving the others.</summary>
    public void Scatter(ReadOnlySpan<float> values, Span<float> dense) => Scatter(values, dense, 0, NonzeroCount);

    /// <summary>Like <see cref="Scatter(ReadOnlySpan{float}, Span{float})"/> for the entries [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) only.</summary>
    public void Scatter(ReadOnlySpan<float> values, Span<float> dense, int start, int count)
    {
        CheckDense(dense.Length, values.Length);
        var flat = _flatIndex.AsSpan(start, count);
        var source = values.Slice(start, count);
        for (int k = 0; k < flat.Length; k++)
        {
            dense[flat[k]] = source[k];
        }
    }

    private static int CountNonzero(ReadOnlySpan<float> mask)
    {
        int count = 0;
        foreach (float m in mask)
        {
            if (m != 0f)
            {
                count++;
            }
        }

        return count;
    }

    private void CheckDense(int denseLength, int valuesLength)
    {
        if (denseLength < Rows * Columns || valuesLength < NonzeroCount)
        {
            throw new ArgumentException($"Buffers too small for a [{Rows}, {Columns}] pattern with {NonzeroCount} entries.");
        }
    }
}
