namespace Occam.Cli.Specs;

/// <summary>Parses <c>--data</c> values into <see cref="DataSpec"/>s with messages that name the problem.</summary>
internal static class DataSpecParser
{
    private static readonly (string Keyword, DataKind Kind)[] Keywords =
    [
        ("fashion-mnist", DataKind.FashionMnist),
        ("mnist", DataKind.Mnist),
        ("cifar10", DataKind.Cifar10),
        ("csv", DataKind.Csv),
        ("text", DataKind.Text),
        ("digits", DataKind.Digits),
    ];

    /// <summary>The keyword that names <paramref name="kind"/> in a spec.</summary>
    public static string KeywordOf(DataKind kind)
    {
        foreach (var (keyword, candidate) in Keywords)
        {
            if (candidate == kind)
            {
                return keyword;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown data kind.");
    }

    /// <summary>Parses a spec; throws <see cref="UsageException"/> naming the problem when it is malformed.</summary>
    public static DataSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string prefix = $"--data '{text}'";
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"{prefix}: empty data spec (expected {Expected})");
        }

        // Split at the first colon only, so a path may itself hold colons (C:\data\iris.csv).
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string keyword = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        string? path = colon < 0 ? null : text[(colon + 1)..];
        DataKind? kind = null;
        foreach (var (candidate, candidateKind) in Keywords)
        {
            if (candidate == keyword)
            {
                kind = candidateKind;
            }
        }

        if (kind is null)
        {
            throw new UsageException($"{prefix}: unknown data kind '{keyword}' (expected {Expected})");
        }

        if (path is not null && string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException($"{prefix}: nothing after '{keyword}:' (expected {FormOf(kind.Value)})");
        }

        return kind.Value switch
        {
            DataKind.Digits when path is not null =>
                throw new UsageException($"{prefix}: digits ships with Occam and takes no path (write just 'digits')"),
            DataKind.FashionMnist => new DataSpec(DataKind.FashionMnist, path ?? DataSpec.DefaultFashionMnistDirectory),
            DataKind.Digits => new DataSpec(DataKind.Digits, null),
            _ when path is null =>
                throw new UsageException($"{prefix}: {keyword} needs a path (expected {FormOf(kind.Value)})"),
            _ => new DataSpec(kind.Value, path),
        };
    }

    private const string Expected = "fashion-mnist[:DIR], mnist:DIR, cifar10:DIR, csv:PATH, text:PATH or digits";

    private static string FormOf(DataKind kind) => kind switch
    {
        DataKind.FashionMnist => "fashion-mnist[:DIR]",
        DataKind.Mnist => "mnist:DIR",
        DataKind.Cifar10 => "cifar10:DIR",
        DataKind.Csv => "csv:PATH",
        DataKind.Text => "text:PATH",
        _ => "digits",
    };
}
