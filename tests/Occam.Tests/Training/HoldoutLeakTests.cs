using Occam.Data;
using Occam.Tests.Data;
using Occam.Training;

namespace Occam.Tests.Training;

/// <summary>
/// No held-out example shares data with a training example, for every kind of data the trainer is given: text holds
/// out a region of its training text that no training window touches; images and CSV rows are split by index before
/// anything else, so held-out and training rows are different rows of the source and (the sources here have no
/// duplicate rows) never equal feature vectors.
/// </summary>
public class HoldoutLeakTests
{
    // Every character of the text below is distinct, so a window's ids give back its position in the text.
    private const char FirstChar = '\u4E00';

    [Fact]
    public void TextHeldOutWindowsLieInARegionNoTrainingWindowTouches()
    {
        const int length = 4000, context = 16, count = 600;
        string text = string.Concat(Enumerable.Range(0, length).Select(i => (char)(FirstChar + i)));
        TextCorpus corpus = TextCorpus.FromText(text, validationFraction: 0.1);
        Dataset windows = corpus.TrainingWindows(count, context, holdoutFraction: 0.1, seed: 3);
        HoldoutSplit split = new Trainer(new TrainerOptions { HoldoutFraction = 0.1 }).HoldoutSplitOf(windows);

        Assert.Equal(3600, corpus.TrainIds.Length);
        Assert.Equal(60, split.Holdout.Length);
        Assert.Equal(540, split.Train.Length);
        Assert.StartsWith("contiguous: 60 held-out windows in characters [3240, 3600)", split.Description, StringComparison.Ordinal);
        int lastTrainedCharacter = split.Train.Max(w => Start(corpus, windows, w, context) + context);
        int firstHeldOutCharacter = split.Holdout.Min(w => Start(corpus, windows, w, context));
        Assert.True(lastTrainedCharacter < firstHeldOutCharacter, $"a training window reaches character {lastTrainedCharacter}, a held-out one starts at {firstHeldOutCharacter}");
        Assert.InRange(firstHeldOutCharacter, 3240, 3600);
        Assert.InRange(split.Holdout.Max(w => Start(corpus, windows, w, context) + context), 3240, 3599);

        // The windows are spread over their regions, not stacked at one place.
        Assert.True(split.Train.Select(w => Start(corpus, windows, w, context)).Distinct().Count() > 400);
        Assert.True(split.Holdout.Select(w => Start(corpus, windows, w, context)).Distinct().Count() > 30);

        // The test windows come from the text after the training part: none of their characters is in the vocabulary.
        Dataset test = corpus.ValidationWindows(50, context, seed: 4);
        Assert.All(test.Features.Span.ToArray(), id => Assert.Equal(corpus.UnknownId, (int)id));
        Assert.All(test.Labels, id => Assert.Equal(corpus.UnknownId, id));
    }

    [Fact]
    public void TextSplitIsSeededAndFollowsTheHeldOutFraction()
    {
        string text = string.Concat(Enumerable.Range(0, 4000).Select(i => (char)(FirstChar + i)));
        TextCorpus corpus = TextCorpus.FromText(text, validationFraction: 0.1);
        Dataset a = corpus.TrainingWindows(600, 16, 0.2, seed: 3);

        Assert.Equal(a.Features.Span.ToArray(), corpus.TrainingWindows(600, 16, 0.2, seed: 3).Features.Span.ToArray());
        Assert.Equal(a.Holdout, corpus.TrainingWindows(600, 16, 0.2, seed: 3).Holdout, HoldoutSplitComparer.Instance);
        Assert.NotEqual(a.Features.Span.ToArray(), corpus.TrainingWindows(600, 16, 0.2, seed: 4).Features.Span.ToArray());
        Assert.Equal(120, a.Holdout!.Holdout.Length);
        Assert.StartsWith("contiguous: 120 held-out windows in characters [2880, 3600)", a.Holdout.Description, StringComparison.Ordinal);
        Assert.True(a.Holdout.Holdout.Min(w => Start(corpus, a, w, 16)) >= 2880);
    }

    [Fact]
    public void TrainerRefusesSequencesWithoutTheirOwnSplitAndASplitForAnotherFraction()
    {
        TextCorpus corpus = TextCorpus.FromText(string.Concat(Enumerable.Repeat("In the beginning was the word.\n", 40)));
        Dataset windows = corpus.TrainingWindows(100, 8, 0.1, seed: 1);
        var trainer = new Trainer(new TrainerOptions { HoldoutFraction = 0.1 });

        var unsplit = new Dataset(windows.Features, windows.Labels, windows.ClassCount, windows.LabelsPerExample, windows.ClassNames);
        Assert.Contains("leaks", Assert.Throws<ArgumentException>(() => trainer.HoldoutSplitOf(unsplit)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions { HoldoutFraction = 0.2 }).HoldoutSplitOf(windows));

        // The split handed out is a copy: runs shuffle their training indices in place and must not reorder the data's.
        HoldoutSplit first = trainer.HoldoutSplitOf(windows);
        Array.Reverse(first.Train);
        Assert.Equal(windows.Holdout!.Train, trainer.HoldoutSplitOf(windows).Train);
        Assert.NotEqual(first.Train, windows.Holdout.Train);
    }

    [Fact]
    public void ImageHeldOutRowsAreOtherRowsOfTheSource()
    {
        TrainTestData data = FashionMnist.Load(Path.Combine(TabularTests.RepositoryRoot(), "data", "fashion-mnist-sample"), flatten: true);
        AssertNoSharedExamples(data.Train, new Trainer().HoldoutSplitOf(data.Train), "stratified: 10 %");
    }

    [Fact]
    public void CifarHeldOutRowsAreOtherRowsOfTheSource()
    {
        using var dir = new TempDir();
        Dataset train = Cifar10Loader.LoadBatches([dir.Write("data_batch_1.bin", DataFixtures.CifarBatch(200))]);
        AssertNoSharedExamples(train, new Trainer(new TrainerOptions { Seed = 5 }).HoldoutSplitOf(train), "stratified: 10 %");
    }

    [Fact]
    public void DigitsHeldOutRowsAreOtherRowsOfTheSource()
    {
        TrainTestData data = Digits.LoadSplit(0.2, seed: 1, flatten: true);
        AssertNoSharedExamples(data.Train, new Trainer().HoldoutSplitOf(data.Train), "stratified: 10 %");
    }

    [Theory]
    [InlineData("tabular", "satellite.csv", "stratified: 20 %")]
    [InlineData("regression", "diabetes.csv", "random: 20 %")]
    public void CsvHeldOutRowsAreOtherRowsOfTheFile(string folder, string file, string description)
    {
        TabularData data = TabularLoader.Load(Path.Combine(TabularTests.RepositoryRoot(), "data", folder, file), new TabularOptions { Seed = 2 });
        HoldoutSplit split = new Trainer(new TrainerOptions { Seed = 2, HoldoutFraction = 0.2 }).HoldoutSplitOf(data.Train);
        AssertNoSharedExamples(data.Train, split, description);

        // Back to the file's rows: held-out, training and test rows are three disjoint sets of rows.
        int[] heldRows = [.. split.Holdout.Select(i => data.TrainRows[i])];
        int[] fitRows = [.. split.Train.Select(i => data.TrainRows[i])];
        Assert.Empty(heldRows.Intersect(fitRows));
        Assert.Empty(heldRows.Intersect(data.TestRows));
        Assert.Empty(fitRows.Intersect(data.TestRows));
        Assert.Equal(data.Table.RowCount, heldRows.Length + fitRows.Length + data.TestRows.Length);
    }

    /// <summary>
    /// Held-out and training indices are disjoint and cover the data, and no held-out feature vector equals a training
    /// one (the sources have no duplicate rows, which the first check on the training data confirms).
    /// </summary>
    private static void AssertNoSharedExamples(Dataset train, HoldoutSplit split, string description)
    {
        Assert.StartsWith(description, split.Description, StringComparison.Ordinal);
        Assert.NotEmpty(split.Holdout);
        Assert.Empty(split.Holdout.Intersect(split.Train));
        Assert.Equal(Enumerable.Range(0, train.Count), split.Holdout.Concat(split.Train).Order());

        var trained = new HashSet<string>(StringComparer.Ordinal);
        foreach (int i in split.Train)
        {
            Assert.True(trained.Add(Row(train, i)), $"training example {i} repeats another: the source has duplicate rows");
        }

        foreach (int i in split.Holdout)
        {
            Assert.False(trained.Contains(Row(train, i)), $"held-out example {i} equals a training example");
        }
    }

    private static string Row(Dataset data, int index)
    {
        int length = data.Features.RowLength;
        return Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Features.Span.Slice(index * length, length)));
    }

    /// <summary>Position in the text of window <paramref name="window"/>, checking that it reads consecutive characters.</summary>
    private static int Start(TextCorpus corpus, Dataset windows, int window, int context)
    {
        int Position(int id) => corpus.Vocabulary[id] - FirstChar;
        int start = Position((int)windows.Features.Span[window * context]);
        for (int t = 0; t < context; t++)
        {
            Assert.Equal(start + t, Position((int)windows.Features.Span[(window * context) + t]));
            Assert.Equal(start + t + 1, Position(windows.Labels[(window * context) + t]));
        }

        return start;
    }

    private sealed class HoldoutSplitComparer : IEqualityComparer<HoldoutSplit?>
    {
        public static readonly HoldoutSplitComparer Instance = new();

        public bool Equals(HoldoutSplit? x, HoldoutSplit? y) =>
            x is not null && y is not null && x.Train.SequenceEqual(y.Train) && x.Holdout.SequenceEqual(y.Holdout)
            && x.Fraction == y.Fraction && x.Description == y.Description;

        public int GetHashCode(HoldoutSplit? obj) => obj?.Train.Length ?? 0;
    }
}
