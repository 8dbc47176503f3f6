using Occam.Data;

namespace Occam.Tests.Training;

public class SplitsTests
{
    [Fact]
    public void StratifiedSplitKeepsClassProportionsAndIsDeterministic()
    {
        int[] labels = [.. Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : (i % 2) + 1)];
        var (train, holdout) = Splits.Stratified(labels, 0.1, seed: 4);
        Assert.Equal(Enumerable.Range(0, 300), train.Concat(holdout).Order());
        for (int c = 0; c < 3; c++)
        {
            int total = labels.Count(l => l == c);
            Assert.Equal((int)Math.Round(0.1 * total, MidpointRounding.AwayFromZero), holdout.Count(i => labels[i] == c));
        }

        var again = Splits.Stratified(labels, 0.1, seed: 4);
        Assert.Equal(holdout, again.Holdout);
        Assert.NotEqual(holdout, Splits.Stratified(labels, 0.1, seed: 5).Holdout);
    }

    [Fact]
    public void RandomSplitCoversEveryExampleOnce()
    {
        var (train, holdout) = Splits.Random(50, 0.2, seed: 1);
        Assert.Equal(10, holdout.Length);
        Assert.Equal(Enumerable.Range(0, 50), train.Concat(holdout).Order());
    }
}
