using Occam.Tensors;

namespace Occam.Tests.Packaging;

public class LibraryDependencyTests
{
    // The library package promises System.Numerics.Tensors as its only dependency; anything else it loads (a plotting
    // or ML assembly) would drag that package and its natives into every user's build folder.
    [Fact]
    public void TheLibraryReferencesOnlyTheRuntimeAndSystemNumericsTensors()
    {
        var references = typeof(Tensor).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("System.Numerics.Tensors", references);
        Assert.All(references, name => Assert.True(name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard",
            $"the Occam library references {name}"));
    }
}
