using Occam.Data;

namespace Occam.Tests.Data;

public class SplitsTests
{
    private static int[] Labels() => [.. Enumerable.Range(0, 1000).Select(i => i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2), 3, 3, 4];

    [Fact]
    public void IsDeterministicForASeedAndVariesWithIt()
    {
        int[] labels = Labels();
        var (trainA, holdA) = Splits.Stratified(labels, 0.1, 7);
        var (trainB, holdB) = Splits.Stratified(labels, 0.1, 7);
        var (_, holdC) = Splits.Stratified(labels, 0.1, 8);

        Assert.Equal(trainA, trainB);
        Assert.Equal(holdA, holdB);
        Assert.NotEqual(holdA, holdC);
    }

    [Fact]
    public void KeepsClassProportionsAndCoversDisjointly()
    {
        int[] labels = Labels();
        var (train, holdout) = Splits.Stratified(labels, 0.1, 1);

        Assert.Equal(70, holdout.Count(i => labels[i] == 0));
        Assert.Equal(20, holdout.Count(i => labels[i] == 1));
        Assert.Equal(10, holdout.Count(i => labels[i] == 2));
        Assert.Equal(labels.Length, train.Length + holdout.Length);
        Assert.Equal(Enumerable.Range(0, labels.Length), train.Concat(holdout).Order());
        Assert.True(train.SequenceEqual(train.Order()));
        Assert.True(holdout.SequenceEqual(holdout.Order()));
    }

    [Fact]
    public void SmallClassesGetAnExampleInEachPartWhenPossible()
    {
        int[] labels = Labels();
        var (train, holdout) = Splits.Stratified(labels, 0.1, 1);

        Assert.Equal(1, holdout.Count(i => labels[i] == 3));
        Assert.Equal(1, train.Count(i => labels[i] == 3));
        Assert.Equal(1, train.Count(i => labels[i] == 4));
        Assert.Equal(0, holdout.Count(i => labels[i] == 4));
    }

    [Fact]
    public void EdgeFractions()
    {
        int[] labels = [0, 1, 0, 1];
        Assert.Empty(Splits.Stratified(labels, 0, 1).Holdout);
        Assert.Empty(Splits.Stratified(labels, 1, 1).Train);
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.Stratified(labels, 1.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Splits.Stratified(labels, double.NaN, 1));
    }
}
