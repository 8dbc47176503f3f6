using Occam.Cli;
using Occam.Cli.Specs;
using Occam.Pruning;

namespace Occam.Tests.Cli;

public class TrainingMethodParserTests
{
    [Theory]
    [InlineData("occam")]
    [InlineData("occam-paper")]
    [InlineData("dense")]
    [InlineData("constant")]
    [InlineData("posthoc")]
    [InlineData("posthoc-finetune")]
    [InlineData("gmp")]
    [InlineData("IMP")]
    public void ParsesEveryMethodOfTheRegistry(string text)
    {
        var method = TrainingMethodParser.Parse(text);
        Assert.Equal(text.ToLowerInvariant(), method.Name);
        Assert.Contains(method, PruningMethods.All);
    }

    [Fact]
    public void RejectsAnUnknownMethod()
    {
        var e = Assert.Throws<UsageException>(() => TrainingMethodParser.Parse("sgd"));
        Assert.Equal("--method 'sgd': unknown method (expected occam, occam-paper, dense, constant, gmp, imp, posthoc or posthoc-finetune)", e.Message);
    }
}
