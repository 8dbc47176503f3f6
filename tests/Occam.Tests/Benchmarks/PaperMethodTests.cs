using Occam.Benchmarks;

namespace Occam.Tests.Benchmarks;

public class PaperMethodTests
{
    [Theory]
    [InlineData("occam", "occam", null, "occam")]
    [InlineData("occam/150", "occam", 150, "occam-every150")]
    [InlineData("occam-paper/10", "occam-paper", 10, "occam-paper-every10")]
    public void ANameParsesToItsMethodAndCadenceAndBack(string name, string method, int? every, string folder)
    {
        var parsed = PaperMethod.Parse(name);

        Assert.Equal(new PaperMethod(method, every), parsed);
        Assert.Equal(name, parsed.Name);
        Assert.Equal(name, parsed.ToString());
        Assert.Equal(folder, parsed.Folder);
        Assert.DoesNotContain('/', parsed.Folder);
    }

    [Theory]
    [InlineData("occam/")]
    [InlineData("occam/0")]
    [InlineData("occam/-3")]
    [InlineData("occam/1.5")]
    [InlineData("occam/150/2")]
    public void ACadenceThatIsNotAWholeNumberOfSteps(string name) =>
        Assert.Contains(name, Assert.Throws<FormatException>(() => PaperMethod.Parse(name)).Message, StringComparison.Ordinal);
}
