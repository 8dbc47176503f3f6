using System.Globalization;

namespace Occam.Data;

/// <summary>Number parsing for CSV cells: invariant culture, with NaN and infinity recognised so they can be refused.</summary>
internal static class CsvNumbers
{
    /// <summary>The outcome of parsing one cell.</summary>
    internal enum Kind
    {
        Missing,
        Finite,
        NonFinite,
        OutOfRange,
        Text,
    }

    /// <summary>Classifies <paramref name="cell"/> and parses it when it is a finite number within float range.</summary>
    public static Kind Parse(string cell, out double value)
    {
        value = 0;
        ReadOnlySpan<char> s = cell.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return Kind.Missing;
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return IsNonFiniteWord(s) ? Kind.NonFinite : Kind.Text;
        }

        if (!double.IsFinite(value))
        {
            return Kind.NonFinite;
        }

        return Math.Abs(value) > float.MaxValue ? Kind.OutOfRange : Kind.Finite;
    }

    /// <summary>The one-line problem for a cell that is not a usable number.</summary>
    public static string Problem(Kind kind, string cell) => kind switch
    {
        Kind.NonFinite => $"'{cell}' is not a finite number (NaN and infinity are not allowed)",
        Kind.OutOfRange => $"'{cell}' is outside the 32-bit float range",
        _ => $"'{cell}' is not a number",
    };

    private static bool IsNonFiniteWord(ReadOnlySpan<char> s)
    {
        if (s[0] is '+' or '-')
        {
            s = s[1..];
        }

        return s.Equals("nan", StringComparison.OrdinalIgnoreCase) || s.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || s.Equals("infinity", StringComparison.OrdinalIgnoreCase);
    }
}
