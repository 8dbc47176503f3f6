using Occam.Tests.Data;

namespace Occam.Tests.Samples;

public class ReadmeSampleTests
{
    // CI builds and runs the sample against the packed package, so the README's copy compiles only while it is the same text.
    [Fact]
    public void TheReadmeShowsTheOwnLoopSampleVerbatim()
    {
        string root = TabularTests.RepositoryRoot();
        string program = File.ReadAllText(Path.Combine(root, "samples", "OwnLoop", "Program.cs")).ReplaceLineEndings("\n");
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        Assert.Contains("new Pruner(", program, StringComparison.Ordinal);
        Assert.Contains("```csharp\n" + program + "```\n", readme, StringComparison.Ordinal);
    }
}
