using System.Globalization;

namespace Occam.Cli.Commands;

/// <summary>Range checks for option values, each failing with a <see cref="UsageException"/> that names the option and the value.</summary>
internal static class Validate
{
    /// <summary>Requires <paramref name="value"/> ≥ <paramref name="minimum"/>.</summary>
    public static int AtLeast(string option, int value, int minimum) => value >= minimum
        ? value
        : throw new UsageException($"{option} must be at least {minimum} (got {value})");

    /// <summary>Requires <paramref name="minimum"/> ≤ <paramref name="value"/> ≤ <paramref name="maximum"/>.</summary>
    public static int Between(string option, int value, int minimum, int maximum) => value >= minimum && value <= maximum
        ? value
        : throw new UsageException($"{option} must be between {minimum} and {maximum} (got {value})");

    /// <summary>Requires a finite <paramref name="value"/> &gt; 0.</summary>
    public static double Positive(string option, double value) => double.IsFinite(value) && value > 0
        ? value
        : throw new UsageException($"{option} must be a positive number (got {Show(value)})");

    /// <summary>Requires <paramref name="value"/> in the open interval (0, 1).</summary>
    public static double OpenUnit(string option, double value) => value > 0 && value < 1
        ? value
        : throw new UsageException($"{option} must be strictly between 0 and 1 (got {Show(value)})");

    /// <summary>Requires <paramref name="value"/> in (0, 1].</summary>
    public static double UnitExcludingZero(string option, double value) => value > 0 && value <= 1
        ? value
        : throw new UsageException($"{option} must be greater than 0 and at most 1 (got {Show(value)})");

    /// <summary>Requires <paramref name="value"/> in [0, 1).</summary>
    public static double UnitExcludingOne(string option, double value) => value >= 0 && value < 1
        ? value
        : throw new UsageException($"{option} must be at least 0 and less than 1 (got {Show(value)})");

    /// <summary>Requires an existing file.</summary>
    public static string ExistingFile(string what, string path) => File.Exists(path)
        ? path
        : throw new UsageException(Directory.Exists(path) ? $"{what} '{path}' is a directory, not a file" : $"{what} '{path}' does not exist");

    /// <summary>Requires an existing file or directory.</summary>
    public static string ExistingPath(string what, string path) => File.Exists(path) || Directory.Exists(path)
        ? path
        : throw new UsageException($"{what} '{path}' does not exist");

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
