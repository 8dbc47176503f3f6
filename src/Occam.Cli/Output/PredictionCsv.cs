using System.Globalization;
using Occam.Cli.Engine;

namespace Occam.Cli.Output;

/// <summary>Writes class probabilities as RFC 4180 CSV: a header of class names, then one row per input row.</summary>
internal static class PredictionCsv
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="writer"/> with CRLF-free "\n" line ends.</summary>
    public static void Write(TextWriter writer, PredictionTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        writer.Write(string.Join(',', table.ClassNames.Select(Quote)));
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

            writer.Write('\n');
        }
    }

    /// <summary>Quotes a field when it holds a comma, a quote or a line break, doubling inner quotes.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
