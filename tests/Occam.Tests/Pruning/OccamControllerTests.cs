using Occam.Pruning;
using Phase = Occam.Pruning.OccamController.Phase;

namespace Occam.Tests.Pruning;

public class OccamControllerTests
{
    private static readonly OccamController Controller = new(initialRate: 0.4, significance: 1.0, plateauEpochs: 3, minimumRate: 0.05);

    // Dense warm-up: best at epoch 2, then three epochs without a new best end it at epoch 5.
    private static readonly double[] Warmup = [1.0, 0.8, 0.85, 0.82, 0.81];

    private static (PruningDecision Decision, Phase Phase) After(double standardError, params double[] losses) =>
        After(Controller, standardError, losses);

    private static (PruningDecision Decision, Phase Phase) After(OccamController controller, double standardError, params double[] losses)
    {
        var errors = Enumerable.Repeat(standardError, losses.Length).ToArray();
        var (decision, phase) = controller.Replay(losses, errors);
        Assert.Equal(decision, controller.Decide(new PruningContext(losses.Length, 30, losses, errors, 1.0)));
        return (decision, phase);
    }

    [Fact]
    public void TrainsDenseWhileTheHeldOutLossImproves()
    {
        var (decision, phase) = After(0.01, 1.0, 0.9, 0.8, 0.85, 0.86);
        Assert.Equal(Phase.Warmup, phase);
        Assert.Equal(PruningDecision.None, decision);
    }

    [Fact]
    public void FirstCutComesFromTheBestModelAfterTheWarmupPlateaus()
    {
        var (decision, phase) = After(0.01, Warmup);
        Assert.Equal(Phase.Pruning, phase);
        Assert.Equal(0.4, decision.Fraction);
        Assert.Equal(0.4, decision.Rate);
        Assert.True(decision.RestoreBestFirst);
    }

    [Fact]
    public void RiseWithinTheNoiseKeepsPruningFromTheCurrentModel()
    {
        // Best 0.8; 0.84 is within 0.8 + 1 · 0.05.
        var (decision, phase) = After(0.05, [.. Warmup, 0.84]);
        Assert.Equal(Phase.Pruning, phase);
        Assert.Equal(0.4, decision.Fraction);
        Assert.False(decision.RestoreBestFirst);
    }

    [Fact]
    public void SignificantRiseIsUndoneAndTheRateHalves()
    {
        // Best 0.8; 0.9 exceeds 0.8 + 1 · 0.05.
        var (decision, phase) = After(0.05, [.. Warmup, 0.9]);
        Assert.Equal(Phase.Pruning, phase);
        Assert.True(decision.RestoreBestFirst);
        Assert.Equal(0.2, decision.Fraction, 12);
        Assert.False(decision.Stop);
    }

    [Fact]
    public void SignificanceScalesWithTheStandardError()
    {
        // The same rise of 0.1 is noise with se 0.2 and evidence with se 0.01.
        Assert.False(After(0.2, [.. Warmup, 0.9]).Decision.RestoreBestFirst);
        Assert.True(After(0.01, [.. Warmup, 0.9]).Decision.RestoreBestFirst);
    }

    [Fact]
    public void RepeatedUndosLowerTheRateToZeroAndPruningEnds()
    {
        // 0.4 → 0.2 → 0.1 → 0.05 → 0.025 < minimum: zero.
        double[] rates = [0.2, 0.1, 0.05, 0.0];
        var losses = new List<double>(Warmup);
        for (int i = 0; i < rates.Length; i++)
        {
            losses.Add(0.95);
            var (decision, phase) = After(0.01, [.. losses]);
            Assert.True(decision.RestoreBestFirst);
            Assert.Equal(rates[i], decision.Fraction, 12);
            Assert.Equal(i == rates.Length - 1 ? Phase.FineTuning : Phase.Pruning, phase);
        }

        // Fine-tuning: never another cut or restore, whatever the loss does.
        losses.AddRange([0.95, 0.7, 0.99, 0.99, 0.99, 0.99]);
        for (int n = rates.Length + Warmup.Length + 1; n <= losses.Count; n++)
        {
            var (decision, phase) = After(0.01, [.. losses.Take(n)]);
            Assert.Equal(Phase.FineTuning, phase);
            Assert.Equal(PruningDecision.None, decision);
        }
    }

    [Fact]
    public void NewBestWhilePruningKeepsTheRate()
    {
        var (decision, phase) = After(0.01, [.. Warmup, 0.78, 0.75]);
        Assert.Equal(Phase.Pruning, phase);
        Assert.Equal(0.4, decision.Fraction);
        Assert.False(decision.RestoreBestFirst);
    }

    [Fact]
    public void PlateauWhilePruningRestoresTheBestAndStopsPruning()
    {
        // After the first cut (epoch 5) the best stays 0.8 for three epochs, each rise within the noise.
        var before = After(0.05, [.. Warmup, 0.82, 0.83]);
        Assert.Equal(Phase.Pruning, before.Phase);
        Assert.Equal(0.4, before.Decision.Fraction);

        var (decision, phase) = After(0.05, [.. Warmup, 0.82, 0.83, 0.81]);
        Assert.Equal(Phase.FineTuning, phase);
        Assert.True(decision.RestoreBestFirst);
        Assert.Equal(0.0, decision.Fraction);
        Assert.False(decision.Stop);
    }

    [Fact]
    public void AnUndoGivesTheRestoredModelAFullPlateauWindow()
    {
        // Undo at epoch 6; epochs 7 and 8 do not improve but are within the noise: still pruning at the halved rate.
        var (decision, phase) = After(0.05, [.. Warmup, 0.9, 0.82, 0.83]);
        Assert.Equal(Phase.Pruning, phase);
        Assert.Equal(0.2, decision.Fraction, 12);
        Assert.False(decision.RestoreBestFirst);
    }

    [Fact]
    public void DivergedEpochIsUndone()
    {
        var (decision, phase) = After(0.01, [.. Warmup, double.NaN]);
        Assert.Equal(Phase.Pruning, phase);
        Assert.True(decision.RestoreBestFirst);
        Assert.Equal(0.2, decision.Fraction, 12);
    }

    [Fact]
    public void WithoutWarmupTheFirstEpochIsCut()
    {
        var controller = new OccamController(initialRate: 0.3, denseWarmup: false);
        var (decision, phase) = After(controller, 0.01, 1.0);
        Assert.Equal(Phase.Pruning, phase);
        Assert.Equal(0.3, decision.Fraction);
        Assert.False(decision.RestoreBestFirst);
    }

    [Fact]
    public void OccamIsTheControllerAndOccamPaperIsThePaperRule()
    {
        var occam = PruningMethods.CreateSchedule("occam");
        Assert.IsType<OccamController>(occam);
        Assert.Equal("occam", occam.Name);
        var paper = Assert.IsType<OccamPaperSchedule>(PruningMethods.CreateSchedule("occam-paper"));
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
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(plateauEpochs: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OccamController(initialRate: 0.1, minimumRate: 0.2));
    }
}
