using Occam.Benchmarks;

namespace Occam.Tests.Benchmarks;

public sealed class PaperVerdictTests
{
    [Fact]
    public void ANetworkVerdictNamesTheMethodsThatBeatOccam()
    {
        PaperMethodRow[] rows =
        [
            new("occam", 5, 0.30, 0.890, 0.2, 200, 12),
            new("dense", 4, 0.32, 0.895, 1.0, 1000, 10),
            new("gmp", 6, 0.29, 0.880, 0.2, 200, 11),
        ];

        string verdict = PaperVerdict.Network(rows);

        Assert.Contains("loses on test loss to gmp (0.2900) and on accuracy to dense (89.50 %)", verdict, StringComparison.Ordinal);
        Assert.Contains("trains 1.20× as long as dense GD", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void ANetworkVerdictSaysSoWhenOccamWins()
    {
        PaperMethodRow[] rows = [new("occam", 5, 0.30, 0.9, 0.2, 200, 5), new("dense", 4, 0.32, 0.8, 1.0, 1000, 10)];

        Assert.Contains("has the lowest test loss and the highest accuracy", PaperVerdict.Network(rows), StringComparison.Ordinal);
    }

    [Fact]
    public void RowsThatAreTheDenseRunAreNamedOnceNotComparedAgain()
    {
        PaperMethodRow[] rows =
        [
            new("occam", 5, 0.30, 0.890, 1.0, 1000, 8),
            new("dense", 4, 0.29, 0.880, 1.0, 1000, 10),
            new("posthoc", 4, 0.29, 0.880, 1.0, 1000, 10, SameAsDense: 1),
            new("gmp", 4, 0.29, 0.880, 1.0, 1000, 10, SameAsDense: 1),
        ];

        string verdict = PaperVerdict.Network(rows);

        Assert.Contains("loses on test loss to dense (0.2900);", verdict, StringComparison.Ordinal);
        Assert.EndsWith("; posthoc, gmp are the dense run, since Occam kept every weight.", verdict, StringComparison.Ordinal);
        Assert.Equal("same as dense: Occam kept every weight", rows[3].Note);
        Assert.Null(rows[1].Note);
        Assert.Equal("same as dense on 40 % of the runs: Occam kept every weight there", (rows[3] with { SameAsDense = 0.4 }).Note);
    }

    [Fact]
    public void ATabularVerdictCountsTheSetsWhereOccamIsBeaten()
    {
        TabularBenchmarkResult Set(string name, double occamLoss, double denseLoss) => new(name, 10, 2, 2, new Dictionary<string, TabularMethodResult>
        {
            ["occam"] = TabularMethodResult.FromSeeds([new("occam", 0, occamLoss, 0.9, 10, 0.5, 1, 3)]),
            ["posthoc_finetune"] = TabularMethodResult.FromSeeds([new("posthoc_finetune", 0, denseLoss, 0.9, 10, 0.5, 1, 1)]),
        });

        string verdict = PaperVerdict.Tabular([Set("a", 0.5, 0.4), Set("b", 0.3, 0.4), Set("c", 0.6, 0.3)]);

        Assert.Contains("beaten by posthoc-finetune on 2 of 3 sets (largest gap 0.3000 on c)", verdict, StringComparison.Ordinal);
        Assert.Contains("its mean accuracy by no method", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void TabularGmpNeedsOccamBeforeIt() =>
        Assert.Throws<ArgumentException>(() => TabularBenchmark.Run("unused.csv", new TabularBenchmarkOptions { Methods = ["gmp", "occam"] }));
}
