namespace Occam.Cli.Specs;

/// <summary>
/// A parsed <c>--data</c> value: <c>fashion-mnist[:DIR]</c>, <c>mnist:DIR</c>, <c>cifar10:DIR</c>,
/// <c>csv:PATH</c>, <c>text:PATH</c> or <c>digits</c>.
/// </summary>
/// <param name="Kind">Which data set.</param>
/// <param name="Path">Its directory or file; null only for <see cref="DataKind.Digits"/>, which ships with Occam.</param>
internal sealed record DataSpec(DataKind Kind, string? Path)
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the IDX files.</summary>
    public const string DefaultFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The problem family, which decides default and admissible models.</summary>
    public DataFamily Family => Kind switch
    {
        DataKind.Csv => DataFamily.Tabular,
        DataKind.Text => DataFamily.Text,
        _ => DataFamily.Images,
    };

    /// <summary>The spec's keyword, as the user writes it.</summary>
    public string Keyword => DataSpecParser.KeywordOf(Kind);

    /// <summary>The spec as the user would write it, e.g. <c>csv:data/iris.csv</c>.</summary>
    public override string ToString() => Path is null ? Keyword : $"{Keyword}:{Path}";
}
