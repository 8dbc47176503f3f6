using Occam.Optimizers;

namespace Occam.Tests.Optimizers;

public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(4, 0.5)]
    [InlineData(9, 1.0)]
    [InlineData(10, 1.0)]
    [InlineData(35, 0.86819805)] // 0.1 + 0.9·½(1 + cos(π/4))
    [InlineData(60, 0.55)]
    [InlineData(85, 0.23180195)] // 0.1 + 0.9·½(1 + cos(3π/4))
    [InlineData(110, 0.1)]
    [InlineData(500, 0.1)]
    public void CosineWarmsUpLinearlyThenDecays(long step, double expected) =>
        Assert.Equal(expected, new CosineSchedule(warmupSteps: 10, totalSteps: 110, minFactor: 0.1f).Factor(step), 5);

    [Fact]
    public void CosineWithoutWarmUpStartsAtOne()
    {
        var schedule = new CosineSchedule(0, 100);
        Assert.Equal(1f, schedule.Factor(0));
        Assert.Equal(0.5f, schedule.Factor(50), 5);
        Assert.Equal(0f, schedule.Factor(100));
    }

    [Fact]
    public void ConstantIsOne() => Assert.Equal(1f, new ConstantSchedule().Factor(12345));

    [Theory]
    [InlineData(10, 5, 0f)]
    [InlineData(0, 10, 1.5f)]
    [InlineData(0, 10, -0.1f)]
    public void CosineRejectsBadArguments(long warmup, long total, float minFactor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(warmup, total, minFactor));
}
