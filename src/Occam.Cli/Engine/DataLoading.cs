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
    /// split as <paramref name="csv"/> says (by default 80/20, stratified, seeded) or tested on <paramref name="testPath"/>,
    /// with preprocessing fitted on the training part; text as random windows, the held-out ones from their own region
    /// of the text.
    /// </summary>
    /// <param name="data">The data spec.</param>
    /// <param name="model">The model spec (decides the image layout and the text windows' length).</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="holdoutFraction">The run's held-out fraction: text holds out that share of its training text.</param>
    /// <param name="csv">CSV data: label column, task, typing, test fraction and split seed (null: the defaults with <paramref name="seed"/>).</param>
    /// <param name="testPath">CSV data: a separate test file, or null to split the data file.</param>
    public static LoadedData Load(DataSpec data, ModelSpec model, int seed, double holdoutFraction, TabularOptions? csv = null, string? testPath = null)
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
                var tabular = LoadCsv(Required(data), csv ?? new TabularOptions { Seed = seed }, testPath);
                return new LoadedData(tabular.Train, tabular.Test, tabular.Preprocessor.ToJson(), tabular.Schema(), tabular);
            case DataKind.Text:
                int context = model is GptSpec gpt ? gpt.Context : throw new UsageException("--model: text data needs a gpt model");
                var corpus = TextCorpus.Load(Required(data));
                return new LoadedData(corpus.TrainingWindows(TextTrainWindows, context, holdoutFraction, seed), corpus.ValidationWindows(TextTestWindows, context, seed + 1), null, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(data), data.Kind, "Unknown data kind.");
        }
    }

    /// <summary>
    /// The data a saved model is evaluated on: for a CSV, every row of the file, read with the saved preprocessing as
    /// predict reads it (a missing column, a text cell in a numeric column or an unseen class is an error naming it);
    /// otherwise the data set's test part.
    /// </summary>
    public static Dataset LoadTest(Model saved, DataSpec data, string? labelColumn)
    {
        ArgumentNullException.ThrowIfNull(saved);
        int seed = ModelFactory.SplitSeed(saved);
        if (data.Kind == DataKind.Csv && saved.Preprocessor is { } preprocessor)
        {
            if (labelColumn is not null && labelColumn != preprocessor.LabelColumn)
            {
                throw new UsageException($"--label {labelColumn}: the model was trained to predict '{preprocessor.LabelColumn}'");
            }

            return preprocessor.ToDataset(CsvTable.Load(Required(data)));
        }

        // The test windows do not depend on the held-out fraction, so the default serves.
        // Only the model's input form matters to the loader: flat vectors, images, or a GPT's context.
        ModelSpec form = saved.Network switch
        {
            Gpt gpt => new GptSpec(gpt.Blocks.Count, gpt.Heads, gpt.EmbeddingDim, gpt.ContextLength),
            _ when saved.InputShape.Length == 1 => new MlpSpec([]),
            _ => new CnnSpec(0),
        };
        return Load(data, form, seed, TextCorpus.DefaultValidationFraction).Test;
    }

    /// <summary>The CSV loading options that <paramref name="settings"/> give.</summary>
    public static TabularOptions CsvOptions(TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new TabularOptions
        {
            LabelColumn = settings.LabelColumn,
            Seed = settings.Seed,
            Task = settings.Task,
            Typing = settings.Typing,
            TestFraction = settings.TestFraction ?? TabularOptions.DefaultTestFraction,
        };
    }

    /// <summary>The CSV file at <paramref name="path"/> split by <paramref name="options"/>, or with every row trained on and <paramref name="testPath"/> as the test set.</summary>
    private static TabularData LoadCsv(string path, TabularOptions options, string? testPath) =>
        testPath is null ? TabularLoader.Load(path, options) : TabularLoader.Load(path, testPath, options);

    private static LoadedData FromTrainTest(TrainTestData data) => new(data.Train, data.Test, null, null);

    private static string Required(DataSpec data) => data.Path ?? throw new UsageException($"--data {data.Keyword}: needs a path");
}

/// <summary>Training and test data, with the fitted tabular preprocessing when the data was a CSV.</summary>
/// <param name="Train">Training part (the trainer splits its held-out set off it).</param>
/// <param name="Test">Test part: reported, never used to choose anything.</param>
/// <param name="PreprocessorJson">The CSV preprocessing fitted on the training part, or null.</param>
/// <param name="Schema">What typed ingestion decided about the CSV file, or null.</param>
/// <param name="Tabular">The CSV file(s), split and preprocessed, or null.</param>
internal sealed record LoadedData(Dataset Train, Dataset Test, string? PreprocessorJson, TabularSchema? Schema, TabularData? Tabular = null);
