using Occam.Cli;
using Occam.Cli.Specs;

namespace Occam.Tests.Cli;

public class TrainingMethodParserTests
{
    [Theory]
    [InlineData("occam", "Occam")]
    [InlineData("occam-paper", "OccamPaper")]
    [InlineData("dense", "Dense")]
    [InlineData("posthoc", "Posthoc")]
    [InlineData("gmp", "Gmp")]
    [InlineData("IMP", "Imp")]
    public void ParsesEveryMethod(string text, string methodName)
    {
        var method = Enum.Parse<TrainingMethod>(methodName);
        Assert.Equal(method, TrainingMethodParser.Parse(text));
        Assert.Equal(text.ToLowerInvariant(), TrainingMethodParser.NameOf(method));
    }

    [Fact]
    public void RejectsAnUnknownMethod()
    {
        var e = Assert.Throws<UsageException>(() => TrainingMethodParser.Parse("sgd"));
        Assert.Equal("--method 'sgd': unknown method (expected occam, occam-paper, dense, posthoc, gmp or imp)", e.Message);
    }
}
