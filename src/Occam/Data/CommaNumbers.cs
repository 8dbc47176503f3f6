using System.Text.RegularExpressions;

namespace Occam.Data;

/// <summary>
/// Shapes of numbers written for humans rather than for invariant-culture parsing, recognised so that a column of them
/// is named as such instead of silently becoming categorical.
/// </summary>
internal static partial class CommaNumbers
{
    /// <summary>A decimal comma: <c>6,575</c>, <c>-0,5</c>.</summary>
    [GeneratedRegex(@"^[+-]?\d+,\d+$", RegexOptions.CultureInvariant)]
    public static partial Regex DecimalComma();

    /// <summary>Thousands separated by commas, with an optional decimal point: <c>1,234</c>, <c>12,345,678.9</c>.</summary>
    [GeneratedRegex(@"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", RegexOptions.CultureInvariant)]
    public static partial Regex Thousands();
}
