using System.Globalization;
using Occam.Tensors;

namespace Occam.Data;

/// <summary>
/// The 8×8 handwritten digits set (UCI, as bundled with scikit-learn; 1 797 images, pixels 0–16), built into the
/// library so it loads from any directory.
/// </summary>
public static class Digits
{
    /// <summary>Side of the square images.</summary>
    public const int Side = 8;

    /// <summary>Name of the embedded CSV (also shipped as data/tabular/digits.csv).</summary>
    public const string ResourceName = "Occam.Data.digits.csv";

    private const float MaxPixel = 16f;

    /// <summary>All 1 797 examples: images [N, 1, 8, 8] (or [N, 64] when <paramref name="flatten"/>) scaled to [0, 1], labels 0–9.</summary>
    public static Dataset Load(bool flatten = false)
    {
        using Stream stream = typeof(Digits).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The library was built without its {ResourceName} resource.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return FromTable(CsvTable.Parse(bytes, "digits.csv (built in)"), flatten);
    }

    /// <summary>All examples split into training and test parts (seeded, stratified; see <see cref="Splits.Stratified"/>).</summary>
    public static TrainTestData LoadSplit(double testFraction = 0.2, int seed = 1, bool flatten = false)
    {
        Dataset all = Load(flatten);
        (int[] train, int[] test) = Splits.Stratified(all.Labels, testFraction, seed);
        return new TrainTestData(all.Subset(train), all.Subset(test));
    }

    /// <summary>Reads a digits table: 64 pixel columns (0–16) then a <c>class</c> column (0–9).</summary>
    /// <exception cref="DataFormatException">The table does not have that layout.</exception>
    public static Dataset FromTable(CsvTable table, bool flatten = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        const int pixels = Side * Side;
        int labelIndex = table.ColumnIndex(TabularLoader.DefaultLabelColumn);
        if (table.ColumnCount != pixels + 1 || labelIndex != pixels)
        {
            throw DataFormatException.InFile(table.Source, $"a digits table has {pixels} pixel columns followed by 'class'");
        }

        int count = table.RowCount;
        Tensor features = flatten ? new Tensor(count, pixels) : new Tensor(count, 1, Side, Side);
        Span<float> values = features.Span;
        var labels = new int[count];
        for (int r = 0; r < count; r++)
        {
            for (int p = 0; p < pixels; p++)
            {
                values[(r * pixels) + p] = Read(table, r, p, MaxPixel) / MaxPixel;
            }

            labels[r] = (int)Read(table, r, labelIndex, 9);
        }

        return new Dataset(features, labels, 10);
    }

    private static float Read(CsvTable table, int row, int column, float max)
    {
        string cell = table.Cell(row, column);
        if (!int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 0 || value > max)
        {
            throw new DataFormatException($"{table.Source}, line {table.LineOf(row)}, column {column + 1}: '{cell}' is not an integer in [0, {max}]");
        }

        return value;
    }
}
