using Occam.Cli;
using Occam.Cli.Specs;

namespace Occam.Tests.Cli;

public class DataSpecParserTests
{
    [Theory]
    [InlineData("fashion-mnist", "FashionMnist", DataSpec.DefaultFashionMnistDirectory)]
    [InlineData("fashion-mnist:/data/fm", "FashionMnist", "/data/fm")]
    [InlineData("mnist:/data/mnist", "Mnist", "/data/mnist")]
    [InlineData("cifar10:cifar-10-batches-bin", "Cifar10", "cifar-10-batches-bin")]
    [InlineData("csv:data/iris.csv", "Csv", "data/iris.csv")]
    [InlineData("CSV:data/iris.csv", "Csv", "data/iris.csv")]
    [InlineData("csv:C:\\data\\iris.csv", "Csv", "C:\\data\\iris.csv")]
    [InlineData("text:kjv.txt.gz", "Text", "kjv.txt.gz")]
    [InlineData("digits", "Digits", null)]
    public void ParsesEveryForm(string text, string kindName, string? path)
    {
        var kind = Enum.Parse<DataKind>(kindName);
        var spec = DataSpecParser.Parse(text);
        Assert.Equal(new DataSpec(kind, path), spec);
    }

    [Theory]
    [InlineData("digits", "Images")]
    [InlineData("mnist:x", "Images")]
    [InlineData("csv:x", "Tabular")]
    [InlineData("text:x", "Text")]
    public void KnowsTheFamily(string text, string family) => Assert.Equal(Enum.Parse<DataFamily>(family), DataSpecParser.Parse(text).Family);

    [Theory]
    [InlineData("csv:a.csv")]
    [InlineData("digits")]
    [InlineData("fashion-mnist:/x")]
    public void RoundTripsThroughToString(string text) => Assert.Equal(text, DataSpecParser.Parse(text).ToString());

    [Theory]
    [InlineData("", "empty data spec")]
    [InlineData("imagenet:/x", "unknown data kind 'imagenet'")]
    [InlineData("mnist", "mnist needs a path (expected mnist:DIR)")]
    [InlineData("cifar10", "cifar10 needs a path")]
    [InlineData("csv", "csv needs a path (expected csv:PATH)")]
    [InlineData("csv:", "nothing after 'csv:'")]
    [InlineData("text: ", "nothing after 'text:'")]
    [InlineData("digits:/x", "digits ships with Occam and takes no path")]
    public void RejectsMalformedSpecsWithAPreciseMessage(string text, string message)
    {
        var e = Assert.Throws<UsageException>(() => DataSpecParser.Parse(text));
        Assert.StartsWith($"--data '{text}': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
