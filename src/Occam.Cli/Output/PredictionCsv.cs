using System.Globalization;
using Occam.Cli.Engine;

namespace Occam.Cli.Output;

/// <summary>
/// Writes predictions as RFC 4180 CSV, one row per input row. Classification: a column per class (its probability,
/// headed by the class name), then <see cref="PredictedColumn"/>, the most probable class. Regression: one column,
/// headed by the target's name, holding the prediction in the target's units.
/// </summary>
internal static class PredictionCsv
{
    /// <summary>Header of the predicted-class column (prefixed with underscores if a class has that name).</summary>
    public const string PredictedColumn = "predicted";

    /// <summary>Writes <paramref name="table"/> to <paramref name="writer"/> with CRLF-free "\n" line ends.</summary>
    public static void Write(TextWriter writer, PredictionTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        writer.Write(string.Join(',', table.ClassNames.Select(Quote)));
        // The label column goes after the probabilities, so the columns a reader took by position keep their places.
        string predicted = PredictedColumn;
        while (table.ClassNames.Contains(predicted, StringComparer.Ordinal))
        {
            predicted = "_" + predicted;
        }

        if (!table.Regression)
        {
            writer.Write(',');
            writer.Write(Quote(predicted));
        }

        writer.Write('\n');
        foreach (float[] row in table.Rows)
        {
            if (row.Length != table.ClassNames.Count)
            {
                throw new InvalidOperationException($"A prediction row has {row.Length} probabilities for {table.ClassNames.Count} classes.");
            }

            for (int i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                writer.Write(row[i].ToString("G9", CultureInfo.InvariantCulture));
            }

            if (!table.Regression)
            {
                writer.Write(',');
                writer.Write(Quote(table.ClassNames[ArgMax(row)]));
            }

            writer.Write('\n');
        }
    }

    /// <summary>The first index of the largest value: ties go to the earlier class.</summary>
    private static int ArgMax(float[] row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
        {
            if (row[i] > row[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Quotes a field when it holds a comma, a quote or a line break, doubling inner quotes.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
