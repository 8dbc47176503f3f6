using Occam.Data;

namespace Occam.Tests.Data;

public class TextCorpusTests
{
    [Fact]
    public void VocabularyComesFromTheTrainingPartAndUnseenCharsAreUnknown()
    {
        // 20 characters: the first 18 train, the last 2 ("yz") validate.
        TextCorpus corpus = TextCorpus.FromText("abcabcabcabcabcab\ncyz", validationFraction: 0.1);

        Assert.Equal(['\n', 'a', 'b', 'c'], corpus.Vocabulary);
        Assert.Equal(5, corpus.VocabularySize);
        Assert.Equal(4, corpus.UnknownId);
        Assert.Equal(19, corpus.TrainIds.Length);
        Assert.Equal([4, 4], corpus.ValidationIds);
        Assert.Equal([1, 2, 3, 0, 4], corpus.Encode("abc\nq"));
        Assert.Equal("abc\n\uFFFD", corpus.Decode([1, 2, 3, 0, 4]));
        Assert.Equal("<unk>", corpus.ClassNames[4]);
    }

    [Fact]
    public void WindowsAreLabelledWithTheNextCharacters()
    {
        string text = string.Concat(Enumerable.Range(0, 50).Select(i => (char)('a' + (i % 26))));
        TextCorpus corpus = TextCorpus.FromText(text, validationFraction: 0.2);

        Dataset windows = corpus.TrainingWindows(count: 7, context: 5, holdoutFraction: 0.2, seed: 3);

        Assert.Equal([7, 5], windows.Features.Shape.ToArray());
        Assert.Equal(35, windows.Labels.Length);
        Assert.Equal(5, windows.LabelsPerExample);
        Assert.Equal(corpus.VocabularySize, windows.ClassCount);
        for (int w = 0; w < 7; w++)
        {
            for (int t = 0; t < 5; t++)
            {
                int input = (int)windows.Features.Span[(w * 5) + t];
                int next = windows.Labels[(w * 5) + t];
                Assert.Equal((input + 1) % 26, next % 26);
                if (t > 0)
                {
                    Assert.Equal(windows.Labels[(w * 5) + t - 1], input);
                }
            }
        }

        Assert.Equal(windows.Features.Span.ToArray(), corpus.TrainingWindows(7, 5, 0.2, 3).Features.Span.ToArray());
        Assert.Equal([3, 4], corpus.ValidationWindows(3, 4, 1).Features.Shape.ToArray());
        Assert.Throws<DataFormatException>(() => corpus.ValidationWindows(3, 10, 1));
    }

    [Fact]
    public void LoadsGzipAndCrlfAndRejectsBadFiles()
    {
        using var dir = new TempDir();
        string gz = dir.Write("t.txt.gz", DataFixtures.Gzip(System.Text.Encoding.UTF8.GetBytes("ab\r\nab\r\nab\r\nab\r\n")));
        TextCorpus corpus = TextCorpus.Load(gz, validationFraction: 0);
        Assert.Equal(['\n', 'a', 'b'], corpus.Vocabulary);
        Assert.Equal(12, corpus.TrainIds.Length);

        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => TextCorpus.Load(dir.Write("e.txt", []))).Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", Assert.Throws<DataFormatException>(() => TextCorpus.Load(dir.Write("r.txt", DataFixtures.RandomBytes(1000, 2)))).Message, StringComparison.Ordinal);
        Assert.Throws<DataFormatException>(() => TextCorpus.Load(dir.Write("c.txt.gz", [0x1f, 0x8b, 8, 0, .. DataFixtures.RandomBytes(100, 3)])));
        Assert.Contains("file not found", Assert.Throws<DataFormatException>(() => TextCorpus.Load(dir.File("none.txt"))).Message, StringComparison.Ordinal);
        Assert.Throws<DataFormatException>(() => TextCorpus.FromText("abc").TrainingWindows(1, 5, 0.1, 1));
    }

    [Fact]
    public void CharacterLimitReadsAPrefixOfTheFile()
    {
        using var dir = new TempDir();
        string gz = dir.Write("t.txt.gz", DataFixtures.Gzip(System.Text.Encoding.UTF8.GetBytes("abcdefghij\U0001F600xyz")));

        TextCorpus prefix = TextCorpus.Load(gz, validationFraction: 0.2, maxCharacters: 5);
        Assert.Equal("abcd", prefix.Decode(prefix.TrainIds));
        Assert.Equal(['a', 'b', 'c', 'd'], prefix.Vocabulary);
        Assert.Equal([prefix.UnknownId], prefix.ValidationIds);

        // A limit inside a surrogate pair stops before it; a limit beyond the text reads it all.
        Assert.Equal(10, TextCorpus.Load(gz, validationFraction: 0, maxCharacters: 11).TrainIds.Length);
        Assert.Equal(15, TextCorpus.Load(gz, validationFraction: 0, maxCharacters: 1000).TrainIds.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => TextCorpus.Load(gz, maxCharacters: 0));
    }

    [Fact]
    public void ShippedBibleLoads()
    {
        TextCorpus corpus = TextCorpus.Load(Path.Combine(TabularTests.RepositoryRoot(), "data", "text", "kjv.txt.gz"));
        Assert.InRange(corpus.VocabularySize, 40, 100);
        Assert.True(corpus.TrainIds.Length > 3_000_000);
        Assert.StartsWith("In the beginning", corpus.Decode(corpus.TrainIds.AsSpan(0, 16)), StringComparison.Ordinal);
    }
}
