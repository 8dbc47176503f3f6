using Occam.Data;

namespace Occam.Tests.Data;

public class DigitsTests
{
    [Fact]
    public void LoadsTheBuiltInSetWithTenClasses()
    {
        Dataset digits = Digits.Load();

        Assert.Equal([1797, 1, 8, 8], digits.Features.Shape.ToArray());
        Assert.Equal(10, digits.ClassCount);
        Assert.Equal(Enumerable.Range(0, 10), digits.Labels.Distinct().Order());
        Assert.Equal(1f, digits.Features.Span.ToArray().Max());
        Assert.Equal(0f, digits.Features.Span.ToArray().Min());
        Assert.Equal([1797, 64], Digits.Load(flatten: true).Features.Shape.ToArray());
    }

    [Fact]
    public void SplitIsStratifiedAndMatchesTheShippedCsv()
    {
        TrainTestData split = Digits.LoadSplit(testFraction: 0.2, seed: 1, flatten: true);
        Assert.Equal(1797, split.Train.Count + split.Test.Count);
        Assert.InRange(split.Test.Count, 350, 370);

        CsvTable shipped = CsvTable.Load(Path.Combine(TabularTests.RepositoryRoot(), "data", "tabular", "digits.csv"));
        Assert.Equal(Digits.Load().Features.Span.ToArray(), Digits.FromTable(shipped).Features.Span.ToArray());
    }
}
