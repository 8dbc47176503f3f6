using Occam.Pruning;

namespace Occam.Tests.Pruning;

public class ScheduleTests
{
    private static PruningContext At(int epoch, int total, double density) =>
        new(epoch, total, new double[epoch], new double[epoch], density);

    [Fact]
    public void GradualMagnitudeFollowsTheCubicAndReachesTheTarget()
    {
        var gmp = new GradualMagnitudeSchedule(finalSparsity: 0.8);
        // Defaults over 5 epochs: t0 = 0, end = 4.
        Assert.Equal(0.0, gmp.TargetSparsity(0, 5), 12);
        Assert.Equal(0.8 - 0.8 * Math.Pow(0.75, 3), gmp.TargetSparsity(1, 5), 12);
        Assert.Equal(0.8, gmp.TargetSparsity(4, 5), 12);
        Assert.Equal(0.8, gmp.TargetSparsity(5, 5), 12);

        // At density 0.5 with a target density of 0.2 the schedule prunes 60 % of what is alive.
        var decision = gmp.Decide(At(4, 5, 0.5));
        Assert.Equal(0.6, decision.Fraction, 12);
        Assert.Equal(0.0, gmp.Decide(At(4, 5, 0.1)).Fraction);
    }

    [Fact]
    public void IterativeMagnitudePrunesAndRewindsAtTheEndOfEachRound()
    {
        var imp = new IterativeMagnitudeSchedule(pruneFraction: 0.3, roundEpochs: 3, rewindEpoch: 1);
        Assert.True(imp.Decide(At(1, 9, 1)).SaveRewindPoint);
        Assert.Equal(0.0, imp.Decide(At(2, 9, 1)).Fraction);
        var cut = imp.Decide(At(3, 9, 1));
        Assert.Equal(0.3, cut.Fraction);
        Assert.True(cut.Rewind);
        Assert.Equal(0.0, imp.Decide(At(4, 9, 1)).Fraction);
        Assert.True(imp.Decide(At(6, 9, 1)).Rewind);
    }

    [Fact]
    public void OneShotCutsOnceBeforeTheFineTuningEpochs()
    {
        var oneShot = new OneShotSchedule(targetDensity: 0.25, fineTuneEpochs: 2);
        Assert.Null(oneShot.Decide(At(3, 6, 1)).TargetDensity);
        var cut = oneShot.Decide(At(4, 6, 1));
        Assert.Equal(0.25, cut.TargetDensity);
        Assert.True(cut.RestoreBestFirst);
        Assert.True(cut.RestartSelection);
        Assert.Null(oneShot.Decide(At(5, 6, 0.25)).TargetDensity);
    }

    [Fact]
    public void ConstantAndDense()
    {
        Assert.Equal(0.3, new ConstantRateSchedule(0.3).Decide(At(7, 12, 0.1)).Fraction);
        Assert.Equal(PruningDecision.None, new NoPruningSchedule().Decide(At(7, 12, 1)));
    }
}
