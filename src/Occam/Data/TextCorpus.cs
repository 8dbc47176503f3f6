using System.Text;
using Occam.Tensors;

namespace Occam.Data;

/// <summary>
/// A character-level text corpus (.txt or .txt.gz, UTF-8) split contiguously: the first part trains, the last part
/// (10 % by default) validates (<c>occam</c> tests on it); <see cref="TrainingWindows"/> holds out the training part's
/// own tail for model selection, so the three regions never overlap. The vocabulary is the training part's distinct
/// characters in ordinal order, plus one unknown token (the last id) for characters seen only outside it. CRLF line
/// ends are read as LF.
/// </summary>
public sealed class TextCorpus
{
    /// <summary>The default share of the text kept for validation.</summary>
    public const double DefaultValidationFraction = 0.1;

    /// <summary>Display name of the unknown token.</summary>
    public const string UnknownName = "<unk>";

    /// <summary>Character that <see cref="Decode"/> writes for the unknown token.</summary>
    public const char UnknownChar = '\uFFFD';

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int[] _idOf;
    private readonly char[] _vocabulary;

    private TextCorpus(string text, double validationFraction, string source)
    {
        Source = source;
        int validationLength = (int)Math.Round(text.Length * validationFraction, MidpointRounding.AwayFromZero);
        int trainLength = text.Length - validationLength;
        if (trainLength < 1)
        {
            throw DataFormatException.InFile(source, "too short to leave any training text");
        }

        ReadOnlySpan<char> train = text.AsSpan(0, trainLength);
        var seen = new bool[char.MaxValue + 1];
        int distinct = 0;
        foreach (char c in train)
        {
            if (!seen[c])
            {
                seen[c] = true;
                distinct++;
            }
        }

        _vocabulary = new char[distinct];
        _idOf = new int[char.MaxValue + 1];
        int next = 0;
        for (int c = 0; c <= char.MaxValue; c++)
        {
            if (seen[c])
            {
                _vocabulary[next] = (char)c;
                _idOf[c] = next++;
            }
            else
            {
                _idOf[c] = distinct;
            }
        }

        var names = new string[distinct + 1];
        for (int i = 0; i < distinct; i++)
        {
            names[i] = _vocabulary[i].ToString();
        }

        names[distinct] = UnknownName;
        ClassNames = names;
        TrainIds = Encode(train);
        ValidationIds = Encode(text.AsSpan(trainLength));
    }

    /// <summary>Name of the file (or other source) the text came from.</summary>
    public string Source { get; }

    /// <summary>The training characters in id order (the unknown token, id <see cref="UnknownId"/>, is not listed).</summary>
    public IReadOnlyList<char> Vocabulary => _vocabulary;

    /// <summary>Number of token ids: the vocabulary plus the unknown token.</summary>
    public int VocabularySize => _vocabulary.Length + 1;

    /// <summary>Id of the unknown token (the last id).</summary>
    public int UnknownId => _vocabulary.Length;

    /// <summary>Display name of every id (the character, or <see cref="UnknownName"/>).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The training part, encoded.</summary>
    public int[] TrainIds { get; }

    /// <summary>The validation part, encoded (may be empty).</summary>
    public int[] ValidationIds { get; }

    /// <summary>Reads a UTF-8 text file, gzip-compressed or not, and splits it.</summary>
    /// <param name="path">The .txt or .txt.gz file.</param>
    /// <param name="validationFraction">Share of the text, taken from its end, kept for validation, in [0, 1).</param>
    /// <param name="maxCharacters">
    /// Read only the file's first this many characters (UTF-16 code units, a surrogate pair never cut), so that a small
    /// corpus is a prefix of a large one; null reads all. The split applies to what is read.
    /// </param>
    /// <exception cref="DataFormatException">The file is missing, empty, corrupt or not UTF-8 text.</exception>
    public static TextCorpus Load(string path, double validationFraction = DefaultValidationFraction, int? maxCharacters = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckFraction(validationFraction);
        if (maxCharacters is int limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(maxCharacters));
        }

        byte[] bytes = DataFiles.ReadAll(path);
        ReadOnlySpan<byte> content = bytes;
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (content.StartsWith(bom))
        {
            content = content[3..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw DataFormatException.InFile(path, "not a UTF-8 text file");
        }

        if (maxCharacters is int max && text.Length > max)
        {
            text = text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
        }

        return FromText(text, validationFraction, path);
    }

    /// <summary>Splits an in-memory text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="DataFormatException">The text is empty or holds NUL characters.</exception>
    public static TextCorpus FromText(string text, double validationFraction = DefaultValidationFraction, string source = "text")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        CheckFraction(validationFraction);
        if (text.Length == 0)
        {
            throw DataFormatException.InFile(source, "the text is empty");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw DataFormatException.InFile(source, "contains NUL characters (a binary file, not text)");
        }

        return new TextCorpus(text.Replace("\r\n", "\n", StringComparison.Ordinal), validationFraction, source);
    }

    /// <summary>Ids of the characters of <paramref name="text"/> (unseen characters map to <see cref="UnknownId"/>).</summary>
    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            ids[i] = _idOf[text[i]];
        }

        return ids;
    }

    /// <summary>The text of <paramref name="ids"/>; the unknown token becomes <see cref="UnknownChar"/>.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var builder = new StringBuilder(ids.Length);
        foreach (int id in ids)
        {
            if ((uint)id > (uint)_vocabulary.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token ids lie in [0, {VocabularySize}).");
            }

            builder.Append(id == UnknownId ? UnknownChar : _vocabulary[id]);
        }

        return builder.ToString();
    }

    /// <summary>
    /// <paramref name="count"/> windows of the training part for a run that holds out <paramref name="holdoutFraction"/>
    /// of it: the training part's last <paramref name="holdoutFraction"/> of characters is the held-out region, and
    /// round(<paramref name="holdoutFraction"/> × <paramref name="count"/>) windows at seeded random positions inside it
    /// are the held-out examples (<see cref="Dataset.Holdout"/>, the last indices); the other windows lie at seeded random
    /// positions before it. No window crosses the boundary, so no held-out character is ever trained on (a random split of
    /// windows drawn from the whole text would hold out windows that overlap training windows). Features are
    /// [count, context] (ids as floats) and, per window, the <paramref name="context"/> next characters are the labels
    /// (the window shifted by one), so <see cref="Dataset.LabelsPerExample"/> = context.
    /// </summary>
    /// <param name="count">Windows in all, training and held-out.</param>
    /// <param name="context">Characters per window (each window reads one more, for the last label).</param>
    /// <param name="holdoutFraction">Share of the training part's characters, and of the windows, held out, in (0, 1).</param>
    /// <param name="seed">Seed of the window positions.</param>
    /// <exception cref="DataFormatException">A region is shorter than context + 1 characters.</exception>
    public Dataset TrainingWindows(int count, int context, double holdoutFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1);
        if (!(holdoutFraction > 0 && holdoutFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutFraction), holdoutFraction, "The held-out fraction must lie in (0, 1).");
        }

        int heldCharacters = (int)Math.Round(TrainIds.Length * holdoutFraction, MidpointRounding.AwayFromZero);
        int boundary = TrainIds.Length - heldCharacters;
        int heldWindows = (int)Math.Round(count * holdoutFraction, MidpointRounding.AwayFromZero);
        int trainWindows = count - heldWindows;
        var random = new Random(seed);
        var features = new Tensor(count, context);
        var labels = new int[(long)count * context <= Array.MaxLength ? count * context : throw new ArgumentOutOfRangeException(nameof(count))];
        FillWindows(TrainIds.AsSpan(0, boundary), "training region of the training", features.Span, labels, 0, trainWindows, context, random);
        FillWindows(TrainIds.AsSpan(boundary), "held-out region of the training", features.Span, labels, trainWindows, heldWindows, context, random);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var split = new HoldoutSplit(
            [.. Enumerable.Range(0, trainWindows)],
            [.. Enumerable.Range(trainWindows, heldWindows)],
            holdoutFraction,
            string.Create(inv, $"contiguous: {heldWindows} held-out windows in characters [{boundary}, {TrainIds.Length}) of the training text (its last {holdoutFraction:P0}), ") +
            string.Create(inv, $"{trainWindows} training windows in [0, {boundary}), none crossing"));
        return new Dataset(features, labels, VocabularySize, context, ClassNames).WithHoldout(split);
    }

    /// <summary>
    /// <paramref name="count"/> windows at seeded random positions of the validation part (the corpus's tail, which
    /// <c>occam</c> tests on), labelled like <see cref="TrainingWindows"/>.
    /// </summary>
    /// <exception cref="DataFormatException">The validation part is shorter than context + 1 characters.</exception>
    public Dataset ValidationWindows(int count, int context, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1);
        var features = new Tensor(count, context);
        var labels = new int[(long)count * context <= Array.MaxLength ? count * context : throw new ArgumentOutOfRangeException(nameof(count))];
        FillWindows(ValidationIds, "validation", features.Span, labels, 0, count, context, new Random(seed));
        return new Dataset(features, labels, VocabularySize, context, ClassNames);
    }

    /// <summary>Writes windows <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 from random positions of <paramref name="ids"/>.</summary>
    private void FillWindows(ReadOnlySpan<int> ids, string part, Span<float> values, int[] labels, int first, int count, int context, Random random)
    {
        if (count > 0 && ids.Length < context + 1)
        {
            throw DataFormatException.InFile(Source, $"the {part} text has {ids.Length} characters, too few for windows of {context} (+1)");
        }

        int lastStart = ids.Length - context - 1;
        for (int w = first; w < first + count; w++)
        {
            int start = random.Next(0, lastStart + 1);
            for (int t = 0; t < context; t++)
            {
                values[(w * context) + t] = ids[start + t];
                labels[(w * context) + t] = ids[start + t + 1];
            }
        }
    }

    private static void CheckFraction(double validationFraction)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie in [0, 1).");
        }
    }
}
