using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Occam.Cli.Commands;

/// <summary>Numeric options whose parse errors name the option and the value in plain words.</summary>
internal static class NumberOptions
{
    /// <summary>
    /// <c>--threads N</c>: the kernels' worker threads, by default the number of cores; check the value with
    /// <see cref="Validate.Threads"/>.
    /// </summary>
    public static Option<int> Threads() =>
        Integer("--threads", "Worker threads (default: the number of cores)", "N", () => Environment.ProcessorCount);

    /// <summary>An integer option with a default (null: none; ask <c>GetResult</c> whether it was given).</summary>
    public static Option<int> Integer(string name, string description, string helpName, Func<int>? defaultValue) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = defaultValue is null ? null : _ => defaultValue(),
        CustomParser = result => Parse(result, name, "an integer", (string text, out int value) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)),
    };

    /// <summary>A real-number option with a default.</summary>
    public static Option<double> Real(string name, string description, string helpName, double defaultValue) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, "a number within the range of 32-bit floats (magnitudes from 1.2e-38 to 3.4e38)", (string text, out double value) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite((float)value) && ((float)value != 0 || value == 0)),
    };

    private delegate bool TryParser<T>(string text, out T value);

    private static T Parse<T>(ArgumentResult result, string name, string what, TryParser<T> tryParse)
        where T : struct
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError($"{name} needs a value");
            return default;
        }

        string text = result.Tokens[^1].Value;
        if (tryParse(text, out T value))
        {
            return value;
        }

        result.AddError($"{name} '{text}' is not {what}");
        return default;
    }
}
