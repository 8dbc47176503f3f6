using Occam.Pruning;

namespace Occam.Tests.Pruning;

public class OccamPaperScheduleTests
{
    private static readonly OccamPaperSchedule Rule = new(initialRate: 0.4, floorFactor: 0.1);

    private static PruningDecision After(params double[] losses) =>
        Rule.Decide(new PruningContext(losses.Length, null, losses, new double[losses.Length], 1.0));

    [Fact]
    public void FirstTwoEpochsPruneAtInitialRateWithoutZeta()
    {
        Assert.Equal(0.4, After(1.0).Fraction);
        Assert.Null(After(1.0).Zeta);
        Assert.Equal(0.4, After(1.0, 0.5).Fraction);
        Assert.Null(After(1.0, 0.5).Zeta);
    }

    [Fact]
    public void SlowingImprovementLowersTheRate()
    {
        var third = After(1.0, 0.5, 0.25);
        Assert.Equal(0.5, third.Zeta!.Value, 12);
        Assert.Equal(0.2, third.Fraction, 12);
        var fourth = After(1.0, 0.5, 0.25, 0.125);
        Assert.Equal(0.5, fourth.Zeta!.Value, 12);
        Assert.Equal(0.1, fourth.Fraction, 12);
        Assert.Equal(fourth.Fraction, fourth.Rate);
    }

    [Fact]
    public void LossTurningUpDropsToTheFloor()
    {
        var decision = After(1.0, 0.5, 0.75);
        Assert.Equal(-0.5, decision.Zeta!.Value, 12);
        Assert.Equal(0.04, decision.Fraction, 12);
    }

    [Fact]
    public void LossRisingFasterRaisesTheRateBackToR0()
    {
        // Floor after the turn, then zeta 3 triples the rate, then zeta 4 would exceed r0 and is clamped.
        Assert.Equal(0.04, After(1.0, 0.5, 0.75).Fraction, 12);
        var rising = After(1.0, 0.5, 0.75, 1.5);
        Assert.Equal(3.0, rising.Zeta!.Value, 12);
        Assert.Equal(0.12, rising.Fraction, 12);
        var faster = After(1.0, 0.5, 0.75, 1.5, 4.5);
        Assert.Equal(4.0, faster.Zeta!.Value, 12);
        Assert.Equal(0.4, faster.Fraction, 12);
    }

    [Fact]
    public void RisingFromTheStartIsClampedAtR0()
    {
        var decision = After(1.0, 1.25, 2.0);
        Assert.Equal(3.0, decision.Zeta!.Value, 12);
        Assert.Equal(0.4, decision.Fraction, 12);
    }

    [Fact]
    public void EqualConsecutiveLossesSkipTheUpdate()
    {
        // l2 == l1: no division, r stays r0 and no zeta is reported.
        var flatStart = After(1.0, 1.0, 0.5);
        Assert.Null(flatStart.Zeta);
        Assert.Equal(0.4, flatStart.Fraction, 12);

        // l3 == l2 gives zeta 0 (floor); then l4 − l3 over l3 − l2 = 0 would divide by zero: r stays at the floor.
        Assert.Equal(0.0, After(1.0, 0.5, 0.5).Zeta!.Value, 12);
        Assert.Equal(0.04, After(1.0, 0.5, 0.5).Fraction, 12);
        var afterFlat = After(1.0, 0.5, 0.5, 0.25);
        Assert.Null(afterFlat.Zeta);
        Assert.Equal(0.04, afterFlat.Fraction, 12);
    }

    [Fact]
    public void ClampsAtBothEndsWithOtherSettings()
    {
        var rule = new OccamPaperSchedule(initialRate: 0.3, floorFactor: 0.5);
        double[] up = [1.0, 0.5, 1.0];
        Assert.Equal(0.15, rule.Replay(up).Rate, 12);
        double[] steep = [1.0, 0.9, 0.0];
        Assert.Equal(0.3, rule.Replay(steep).Rate, 12);
    }

    [Fact]
    public void NamesAndAliases()
    {
        Assert.Equal("occam-paper", new OccamPaperSchedule().Name);
        Assert.IsType<OccamController>(PruningMethods.Find("occam").CreateSchedule());
        Assert.IsType<OccamPaperSchedule>(PruningMethods.Find("occam-paper").CreateSchedule());
        Assert.Equal("occam-paper", PruningMethods.Find("occam-paper").CreateSchedule().Name);
        foreach (var method in PruningMethods.All)
        {
            Assert.Equal(method.Name, method.CreateSchedule().Name);
            Assert.Same(method, PruningMethods.Find(method.Name.ToUpperInvariant()));
        }

        Assert.Null(PruningMethods.TryFind("bogus"));
        var e = Assert.Throws<ArgumentException>(() => PruningMethods.Find("bogus"));
        Assert.StartsWith("Unknown method 'bogus'; expected occam, occam-paper, dense, constant, gmp, imp, posthoc or posthoc-finetune.", e.Message, StringComparison.Ordinal);
    }
}
