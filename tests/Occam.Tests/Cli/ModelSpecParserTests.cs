using Occam.Cli;
using Occam.Cli.Specs;

namespace Occam.Tests.Cli;

public class ModelSpecParserTests
{
    [Fact]
    public void ParsesAnMlp() => Assert.Equal(new MlpSpec([512, 256, 128]), ModelSpecParser.Parse("mlp:512,256,128"));

    [Fact]
    public void ParsesAnMlpWithSpacesAndCapitals() => Assert.Equal(new MlpSpec([64, 32]), ModelSpecParser.Parse("MLP:64, 32"));

    [Fact]
    public void ParsesACnn() => Assert.Equal(new CnnSpec(16), ModelSpecParser.Parse("cnn:16"));

    [Fact]
    public void ParsesAGpt() => Assert.Equal(new GptSpec(2, 4, 64, 128), ModelSpecParser.Parse("gpt:2,4,64,128"));

    [Theory]
    [InlineData("mlp:1024")]
    [InlineData("mlp:256,256")]
    [InlineData("cnn:32")]
    [InlineData("gpt:4,8,128,256")]
    public void RoundTripsThroughToString(string text) => Assert.Equal(text, ModelSpecParser.Parse(text).ToString());

    [Theory]
    [InlineData("mlp:12,x", "hidden size 'x' is not a positive integer")]
    [InlineData("mlp:0", "hidden size '0' is not a positive integer")]
    [InlineData("mlp:-5", "hidden size '-5' is not a positive integer")]
    [InlineData("mlp:12,,3", "hidden size '' is not a positive integer")]
    [InlineData("mlp:1.5", "hidden size '1.5' is not a positive integer")]
    [InlineData("mlp:99999999999", "hidden size '99999999999' is not a positive integer")]
    [InlineData("mlp:2000000", "hidden size 2000000 is larger than the maximum")]
    [InlineData("mlp", "mlp needs its sizes (expected mlp:H1[,H2...])")]
    [InlineData("mlp:", "mlp needs its sizes")]
    [InlineData("cnn", "cnn needs its sizes (expected cnn:N)")]
    [InlineData("cnn:8,16", "expected 1 number (cnn:N), got 2")]
    [InlineData("cnn:abc", "channel count 'abc' is not a positive integer")]
    [InlineData("gpt:2,4,64", "expected 4 numbers (gpt:LAYERS,HEADS,EMBED,CONTEXT), got 3")]
    [InlineData("gpt:2,0,64,64", "head count '0' is not a positive integer")]
    [InlineData("gpt:2,3,64,64", "embedding size 64 is not divisible by the head count 3")]
    [InlineData("resnet:50", "unknown model kind 'resnet'")]
    [InlineData("", "unknown model kind ''")]
    public void RejectsMalformedSpecsWithAPreciseMessage(string text, string message)
    {
        var e = Assert.Throws<UsageException>(() => ModelSpecParser.Parse(text));
        Assert.StartsWith($"--model '{text}': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fashion-mnist", "mlp:1024")]
    [InlineData("digits", "mlp:1024")]
    [InlineData("csv:x.csv", "mlp:256,256")]
    [InlineData("text:x.txt", "gpt:2,4,64,64")]
    public void DefaultsDependOnTheData(string data, string model) =>
        Assert.Equal(model, ModelSpecParser.Resolve(null, DataSpecParser.Parse(data)).ToString());

    [Theory]
    [InlineData("mlp:64", "digits")]
    [InlineData("mlp:64", "csv:x.csv")]
    [InlineData("cnn:8", "cifar10:/c")]
    [InlineData("gpt:1,1,8,8", "text:t.txt")]
    public void AcceptsModelsThatFitTheData(string model, string data) =>
        Assert.Equal(model, ModelSpecParser.Resolve(model, DataSpecParser.Parse(data)).ToString());

    [Theory]
    [InlineData("gpt:1,1,8,8", "digits", "needs text data")]
    [InlineData("cnn:8", "csv:x.csv", "needs image data")]
    [InlineData("mlp:64", "text:t.txt", "needs image or tabular data")]
    public void RejectsModelsThatDoNotFitTheData(string model, string data, string message)
    {
        var e = Assert.Throws<UsageException>(() => ModelSpecParser.Resolve(model, DataSpecParser.Parse(data)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
