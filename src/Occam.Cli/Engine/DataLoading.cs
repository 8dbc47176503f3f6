using Occam.Cli.Specs;
using Occam.Data;
using Occam.Models;
using Occam.Serialization;

namespace Occam.Cli.Engine;

/// <summary>Loads the data a <c>--data</c> spec names, split into training and test parts.</summary>
internal static class DataLoading
{
    /// <summary>
    /// Random windows drawn per run from a text corpus's training part (each of the model's context length), the
    /// held-out share of them from the held-out region of that text.
    /// </summary>
    public const int TextTrainWindows = 8192;

    /// <summary>Windows drawn from the corpus's validation tail, used as the test set.</summary>
    public const int TextTestWindows = 1024;

    /// <summary>
    /// Loads <paramref name="data"/> for <paramref name="model"/>: images flat for MLPs and [C, H, W] for CNNs; tabular data
    /// split 80/20 (stratified, seeded) with preprocessing fitted on the training part; text as random windows, the
    /// held-out ones from their own region of the text.
    /// </summary>
    /// <param name="data">The data spec.</param>
    /// <param name="model">The model spec (decides the image layout and the text windows' length).</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="holdoutFraction">The run's held-out fraction: text holds out that share of its training text.</param>
    /// <param name="labelColumn">The CSV label column, or null.</param>
    /// <param name="task">The CSV task, or null to infer it.</param>
    /// <param name="typing">The CSV NA tokens and forced column kinds, or null for none.</param>
    public static LoadedData Load(
        DataSpec data, ModelSpec model, int seed, double holdoutFraction, string? labelColumn, LearningTask? task = null, ColumnTyping? typing = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        bool flatten = model is MlpSpec;
        switch (data.Kind)
        {
            case DataKind.FashionMnist:
                return FromTrainTest(FashionMnist.Load(data.Path, flatten));
            case DataKind.Mnist:
                return FromTrainTest(Mnist.Load(Required(data), flatten));
            case DataKind.Cifar10:
                return FromTrainTest(Cifar10Loader.Load(Required(data), flatten));
            case DataKind.Digits:
                return FromTrainTest(Digits.LoadSplit(0.2, seed, flatten));
            case DataKind.Csv:
                var tabular = TabularLoader.Load(Required(data), new TabularOptions { LabelColumn = labelColumn, Seed = seed, Task = task, Typing = typing });
                return new LoadedData(tabular.Train, tabular.Test, tabular.Preprocessor.ToJson(), tabular.Schema());
            case DataKind.Text:
                int context = model is GptSpec gpt ? gpt.Context : throw new UsageException("--model: text data needs a gpt model");
                var corpus = TextCorpus.Load(Required(data));
                return new LoadedData(corpus.TrainingWindows(TextTrainWindows, context, holdoutFraction, seed), corpus.ValidationWindows(TextTestWindows, context, seed + 1), null, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(data), data.Kind, "Unknown data kind.");
        }
    }

    /// <summary>The test part of <paramref name="data"/> as a saved model expects it (same split and preprocessing as at training).</summary>
    public static Dataset LoadTest(Model saved, DataSpec data, string? labelColumn)
    {
        ArgumentNullException.ThrowIfNull(saved);
        int seed = ModelFactory.SplitSeed(saved);
        if (data.Kind == DataKind.Csv && saved.Preprocessor is { } preprocessor)
        {
            var table = CsvTable.Load(Required(data));

            // Every row is read as predict reads it first, so a missing column or a text cell in a numeric column is named
            // as predict names it; the saved kinds are then forced so the split is made from the file typed the same way.
            preprocessor.TransformFeatures(table);
            var tabular = TabularLoader.FromTable(table, new TabularOptions
            {
                LabelColumn = labelColumn ?? preprocessor.LabelColumn,
                Seed = seed,
                Task = preprocessor.Task,
                Typing = SavedTyping(preprocessor),
            });
            return preprocessor.ToDataset(tabular.Table, tabular.TestRows);
        }

        // The test windows do not depend on the held-out fraction, so the default serves.
        // Only the model's input form matters to the loader: flat vectors, images, or a GPT's context.
        ModelSpec form = saved.Network switch
        {
            Gpt gpt => new GptSpec(gpt.Blocks.Count, gpt.Heads, gpt.EmbeddingDim, gpt.ContextLength),
            _ when saved.InputShape.Length == 1 => new MlpSpec([]),
            _ => new CnnSpec(0),
        };
        return Load(data, form, seed, TextCorpus.DefaultValidationFraction, labelColumn).Test;
    }

    /// <summary>The typing a saved preprocessor implies: its NA tokens, and every column forced to the kind it was trained as.</summary>
    private static ColumnTyping SavedTyping(TabularPreprocessor preprocessor) => new()
    {
        NaValues = preprocessor.NaValues,
        Categorical = [.. preprocessor.Columns.Where(c => c.Kind == ColumnKind.Categorical).Select(c => c.Name)],
        Numeric = [.. preprocessor.Columns.Where(c => c.Kind == ColumnKind.Numeric).Select(c => c.Name)],
    };

    private static LoadedData FromTrainTest(TrainTestData data) => new(data.Train, data.Test, null, null);

    private static string Required(DataSpec data) => data.Path ?? throw new UsageException($"--data {data.Keyword}: needs a path");
}

/// <summary>Training and test data, with the fitted tabular preprocessing when the data was a CSV.</summary>
/// <param name="Train">Training part (the trainer splits its held-out set off it).</param>
/// <param name="Test">Test part: reported, never used to choose anything.</param>
/// <param name="PreprocessorJson">The CSV preprocessing fitted on the training part, or null.</param>
/// <param name="Schema">What typed ingestion decided about the CSV file, or null.</param>
internal sealed record LoadedData(Dataset Train, Dataset Test, string? PreprocessorJson, TabularSchema? Schema);
