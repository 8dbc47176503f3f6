using Occam.Pruning;
using Phase = Occam.Pruning.OccamController.Phase;

namespace Occam.Tests.Pruning;

public class OccamControllerTests
{
    private const int Small = 40;
    private const int Large = 500;

    private static readonly OccamController Controller = new(initialRate: 0.4, significance: 1.0, plateauEpochs: 3, minimumRate: 0.05,
        tolerance: 0.25, trustedHoldout: 100);

    // Dense warm-up: best at epoch 2, then three epochs without a new best end it at epoch 5.
    private static readonly double[] Warmup = [1.0, 0.8, 0.85, 0.82, 0.81];

    private static (PruningDecision Decision, Phase Phase) After(double standardError, int holdout, params double[] losses) =>
        After(Controller, standardError, holdout, losses);

    private static (PruningDecision Decision, Phase Phase) After(OccamController controller, double standardError, int holdout, params double[] losses)
    {
        var errors = Enumerable.Repeat(standardError, losses.Length).ToArray();
        var (decision, phase) = controller.Replay(losses, errors, holdout);
        var context = new PruningContext(losses.Length, 30, losses, errors, 1.0) { HoldoutExamples = holdout };
        Assert.Equal(decision, controller.Decide(context));
        return (decision, phase);
    }

    [Fact]
    public void TrainsDenseAndSelectsTheLowestLossWhileTheHeldOutLossImproves()
    {
        var (decision, phase) = After(0.01, Small, 1.0, 0.9, 0.8);
        Assert.Equal(Phase.Warmup, phase);
        Assert.Equal(0.0, decision.Fraction);
        Assert.True(decision.SelectCurrent);

        (decision, phase) = After(0.01, Small, 1.0, 0.9, 0.8, 0.85, 0.86);
        Assert.Equal(Phase.Warmup, phase);
        Assert.Equal(new PruningDecision { SelectCurrent = false }, decision);
    }

    [Fact]
    public void FirstCutComesFromTheBestModelAfterTheWarmupPlateaus()
    {
        var (decision, phase) = After(0.01, Small, Warmup);
        Assert.Equal(Phase.Pruning, phase);
        Assert.Equal(0.4, decision.Fraction);
        Assert.Equal(0.4, decision.Rate);
        Assert.True(decision.RestoreBestFirst);
        Assert.False(decision.SelectCurrent);
    }

    [Fact]
    public void OnASmallHeldOutSetAPrunedModelMustMatchTheBestLoss()
    {
        // The standard error of a few dozen rows is not trusted: no tolerance, however large it is.
        var accepted = After(0.05, Small, [.. Warmup, 0.8]).Decision;
        Assert.True(accepted.SelectCurrent);
        Assert.False(accepted.RestoreBestFirst);
        Assert.Equal(0.4, accepted.Fraction);

        var rejected = After(0.05, Small, [.. Warmup, 0.801]).Decision;
        Assert.False(rejected.SelectCurrent);
        Assert.True(rejected.RestoreBestFirst);
        Assert.Equal(0.2, rejected.Fraction, 12);
    }

    // With per-example losses the pruned model is judged by its paired difference from the lowest-loss model: a rise the
    // paired noise explains is accepted, a rise that is consistent over the examples is not, unless (on a trusted set)
    // it is below a quarter of the loss's standard error, 0.25 · 0.05 here.
    [Theory]
    [InlineData(Small, 0.01, 0.021, true)]      // 0.01 ≤ 0.5 · 0.021
    [InlineData(Small, 0.01, 0.019, false)]     // 0.01 > 0.5 · 0.019
    [InlineData(Small, 0.005, 0.001, false)]    // no quarter-se allowance below 100 examples
    [InlineData(Large, 0.02, 0.041, true)]      // trusted (judged after the recovery epoch): 0.02 ≤ 0.5 · 0.041
    [InlineData(Large, 0.02, 0.039, false)]     // 0.02 > 0.5 · 0.039 and > 0.0125
    [InlineData(Large, 0.012, 0.001, true)]     // significant but within 0.0125
    public void APrunedModelIsAcceptedWhenItsPairedRiseIsWithinTheTolerance(int holdout, double rise, double pairedError, bool accepted)
    {
        double[] losses = holdout == Large ? [.. Warmup, 0.9, 0.8 + rise] : [.. Warmup, 0.8 + rise];
        var errors = Enumerable.Repeat(0.05, losses.Length).ToArray();
        var paired = Enumerable.Repeat(PairedDifference.None, losses.Length - 1).Append(new PairedDifference(rise, pairedError)).ToArray();
        var controller = new OccamController(plateauEpochs: 3);
        var (decision, _) = controller.Replay(losses, errors, holdout, 30, paired, paired);
        Assert.Equal(accepted, decision.SelectCurrent);
        Assert.Equal(!accepted, decision.RestoreBestFirst);
        var context = new PruningContext(losses.Length, 30, losses, errors, 1.0) { HoldoutExamples = holdout, PairedWithSelected = paired, PairedWithLowest = paired };
        Assert.Equal(decision, controller.Decide(context));
    }

    [Fact]
    public void AFineTunedModelReplacesTheSelectedOneOnlyWhenItsPairedGainIsSignificant()
    {
        // Warm-up, a cut undone three times (0.4 → 0.2 → 0.1 → 0.05 → 0): fine-tuning from epoch 9 on.
        double[] losses = [.. Warmup, 0.9, 0.9, 0.9, 0.9, 0.79];
        var errors = Enumerable.Repeat(0.05, losses.Length).ToArray();
        PairedDifference[] Gain(double standardError) =>
            [.. Enumerable.Repeat(PairedDifference.None, losses.Length - 1), new PairedDifference(-0.01, standardError)];
        var controller = new OccamController(plateauEpochs: 3);
        Assert.Equal(Phase.FineTuning, controller.Replay(losses, errors, Small, 30).Phase);
        Assert.True(controller.Replay(losses, errors, Small, 30, Gain(0.0049), null).Decision.SelectCurrent);
        Assert.False(controller.Replay(losses, errors, Small, 30, Gain(0.0051), null).Decision.SelectCurrent);
    }

    [Fact]
    public void UnknownHeldOutSizeIsTreatedAsSmall()
    {
        var (decision, _) = Controller.Replay([.. Warmup, 0.805], [.. Enumerable.Repeat(0.04, 6)]);
        Assert.False(decision.SelectCurrent);
        Assert.True(decision.RestoreBestFirst);
    }

    [Fact]
    public void OnALargeHeldOutSetAPrunedModelWithinTheToleranceIsSelected()
    {
        // Tolerance 0.25 · 0.04 = 0.01 above the lowest loss, 0.8, judged after the cut model's second epoch.
        var accepted = After(0.04, Large, [.. Warmup, 0.9, 0.809]).Decision;
        Assert.True(accepted.SelectCurrent);
        Assert.False(accepted.RestoreBestFirst);
        Assert.Equal(0.4, accepted.Fraction);

        var rejected = After(0.04, Large, [.. Warmup, 0.9, 0.811]).Decision;
        Assert.False(rejected.SelectCurrent);
        Assert.True(rejected.RestoreBestFirst);
        Assert.Equal(0.2, rejected.Fraction, 12);
    }

    [Fact]
    public void OnALargeHeldOutSetACutIsJudgedOnlyAfterTheCutModelHasTrainedTwoEpochs()
    {
        // The first epoch after a cut is neither undone nor cut again, whatever its loss; it is selected only when it
        // beats the lowest loss so far (0.8), since a smaller model that is also the best one seen is worth keeping.
        foreach (double first in new[] { 0.7, 0.9 })
        {
            var (decision, phase) = After(0.04, Large, [.. Warmup, first]);
            Assert.Equal(Phase.Pruning, phase);
            Assert.Equal(new PruningDecision { SelectCurrent = first < 0.8 }, decision);
        }

        // Every cut gets its epoch of recovery: after an accepted one and after an undone one.
        Assert.Equal(new PruningDecision { SelectCurrent = false }, After(0.04, Large, [.. Warmup, 0.9, 0.805, 0.9]).Decision);
        Assert.Equal(new PruningDecision { SelectCurrent = false }, After(0.04, Large, [.. Warmup, 0.9, 0.85, 0.9]).Decision);
        var undoneAgain = After(0.04, Large, [.. Warmup, 0.9, 0.85, 0.9, 0.85]).Decision;
        Assert.True(undoneAgain.RestoreBestFirst);
        Assert.Equal(0.1, undoneAgain.Fraction, 12);

        // A small held-out set judges a cut after one epoch.
        Assert.True(After(0.04, Small, [.. Warmup, 0.9]).Decision.RestoreBestFirst);
    }

    [Fact]
    public void WithoutRecoveryEpochsALargeHeldOutSetJudgesACutAfterOneEpoch()
    {
        var controller = new OccamController(plateauEpochs: 3, recoveryEpochs: 0);
        var accepted = After(controller, 0.04, Large, [.. Warmup, 0.809]).Decision;
        Assert.True(accepted.SelectCurrent);
        Assert.Equal(0.4, accepted.Fraction);
        var rejected = After(controller, 0.04, Large, [.. Warmup, 0.811]).Decision;
        Assert.True(rejected.RestoreBestFirst);
        Assert.Equal(0.2, rejected.Fraction, 12);
    }

    [Fact]
    public void ToleranceIsMeasuredFromTheLowestLossSoRisesCannotAddUp()
    {
        // 0.806 and 0.81 are within 0.01 of the lowest (0.8); 0.815 is within 0.01 of the last selected but not of the lowest.
        // Each cut model is judged after its second epoch.
        Assert.True(After(0.04, Large, [.. Warmup, 0.9, 0.806, 0.9, 0.81]).Decision.SelectCurrent);
        var (decision, phase) = After(0.04, Large, [.. Warmup, 0.9, 0.806, 0.9, 0.81, 0.9, 0.815]);
        Assert.False(decision.SelectCurrent);
        Assert.True(decision.RestoreBestFirst);
        Assert.Equal(Phase.Pruning, phase);
    }

    [Fact]
    public void ANewLowestLossWhilePruningKeepsTheRate()
    {
        var (decision, phase) = After(0.01, Small, [.. Warmup, 0.78, 0.75]);
        Assert.Equal(Phase.Pruning, phase);
        Assert.Equal(0.4, decision.Fraction);
        Assert.True(decision.SelectCurrent);
        Assert.False(decision.RestoreBestFirst);
    }

    [Fact]
    public void RepeatedRejectionsLowerTheRateToZeroAndPruningEnds()
    {
        // 0.4 → 0.2 → 0.1 → 0.05 → 0.025 < minimum: zero.
        double[] rates = [0.2, 0.1, 0.05, 0.0];
        var losses = new List<double>(Warmup);
        for (int i = 0; i < rates.Length; i++)
        {
            losses.Add(0.95);
            var (decision, phase) = After(0.01, Small, [.. losses]);
            Assert.True(decision.RestoreBestFirst);
            Assert.False(decision.SelectCurrent);
            Assert.Equal(rates[i], decision.Fraction, 12);
            Assert.Equal(i == rates.Length - 1 ? Phase.FineTuning : Phase.Pruning, phase);
        }

        // Fine-tuning: never another cut or restore, whatever the loss does.
        losses.AddRange([0.95, 0.7, 0.99, 0.99]);
        for (int n = rates.Length + Warmup.Length + 1; n <= losses.Count; n++)
        {
            var (decision, phase) = After(0.01, Small, [.. losses.Take(n)]);
            Assert.Equal(Phase.FineTuning, phase);
            Assert.Equal(0.0, decision.Fraction);
            Assert.False(decision.RestoreBestFirst);
        }
    }

    [Fact]
    public void FineTuningReplacesTheSelectedModelOnlyWhenSignificantlyBetter()
    {
        double[] fineTuning = [.. Warmup, 0.95, 0.95, 0.95, 0.95];
        Assert.Equal(Phase.FineTuning, After(0.05, Small, fineTuning).Phase);

        // Selected 0.8, se 0.05: 0.76 is a luckier draw of the noise, 0.74 is evidence.
        Assert.False(After(0.05, Small, [.. fineTuning, 0.76]).Decision.SelectCurrent);
        Assert.True(After(0.05, Small, [.. fineTuning, 0.74]).Decision.SelectCurrent);

        // After a new selection the bar moves with it: 0.7 is within 0.74 − 0.05.
        Assert.False(After(0.05, Small, [.. fineTuning, 0.74, 0.7]).Decision.SelectCurrent);
    }

    [Fact]
    public void OnALargeHeldOutSetTheWarmupEndsWhenImprovementsStopBeingSignificant()
    {
        // Tolerance 0.25 · 0.04 = 0.01: epochs 3–5 improve on epoch 2 by less, so they are a plateau.
        double[] creeping = [1.0, 0.9, 0.896, 0.893, 0.891];
        var (decision, phase) = After(0.04, Large, creeping);
        Assert.Equal(Phase.Pruning, phase);
        Assert.True(decision.RestoreBestFirst);
        Assert.True(decision.SelectCurrent);

        // On a small held-out set every new lowest loss counts as progress.
        Assert.Equal(Phase.Warmup, After(0.04, Small, creeping).Phase);
    }

    [Fact]
    public void OnALargeHeldOutSetAShortRunEndsItsWarmupSooner()
    {
        // A tenth of the budget: 1 epoch of a 12-epoch run, 3 of a 30-epoch run (and 3 when the budget is unknown).
        var controller = new OccamController();
        Assert.Equal(1, controller.TrustedPatience(12));
        Assert.Equal(3, controller.TrustedPatience(30));
        Assert.Equal(3, controller.TrustedPatience(null));
        Assert.Equal(2, new OccamController(trustedPlateauEpochs: 2).TrustedPatience(12));

        double[] losses = [1.0, 0.9, 0.95];
        var errors = new double[losses.Length];
        Assert.Equal(Phase.Pruning, controller.Replay(losses, errors, Large, totalEpochs: 12).Phase);
        Assert.Equal(Phase.Warmup, controller.Replay(losses, errors, Large, totalEpochs: 30).Phase);
        Assert.Equal(Phase.Warmup, controller.Replay(losses, errors, Small, totalEpochs: 12).Phase);
    }

    [Fact]
    public void DivergedEpochIsUndoneAtOnceAndNeverSelected()
    {
        // Even in the cut model's first epoch, when a finite loss would not be judged yet.
        var (decision, phase) = After(0.01, Large, [.. Warmup, double.NaN]);
        Assert.Equal(Phase.Pruning, phase);
        Assert.False(decision.SelectCurrent);
        Assert.True(decision.RestoreBestFirst);
        Assert.Equal(0.2, decision.Fraction, 12);
    }

    [Fact]
    public void WithoutWarmupTheFirstEpochIsCut()
    {
        var controller = new OccamController(initialRate: 0.3, denseWarmup: false);
        var (decision, phase) = After(controller, 0.01, Small, 1.0);
        Assert.Equal(Phase.Pruning, phase);
        Assert.Equal(0.3, decision.Fraction);
        Assert.False(decision.RestoreBestFirst);
        Assert.True(decision.SelectCurrent);
    }

    [Fact]
    public void OccamIsTheControllerAndOccamPaperIsThePaperRule()
    {
        var occam = Assert.IsType<OccamController>(PruningMethods.Find("occam").CreateSchedule());
        Assert.Equal("occam", occam.Name);
        Assert.Equal(0.25, occam.Tolerance);
        Assert.Equal(100, occam.TrustedHoldout);
        Assert.Equal(1, occam.RecoveryEpochs);
        var paper = Assert.IsType<OccamPaperSchedule>(PruningMethods.Find("occam-paper").CreateSchedule());
        Assert.Equal("occam-paper", paper.Name);
        Assert.Equal(0.4, paper.InitialRate);
        Assert.Equal(0.1, paper.FloorFactor);
    }

    [Fact]
    public void RejectsInvalidSettings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(initialRate: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(initialRate: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(significance: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(tolerance: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(trustedHoldout: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(trustedPlateauEpochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(plateauEpochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(recoveryEpochs: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(initialRate: 0.1, minimumRate: 0.2));
    }
}
