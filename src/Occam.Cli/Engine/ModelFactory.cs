using System.Globalization;
using System.Text.Json;
using Occam.Cli.Specs;
using Occam.Layers;
using Occam.Models;
using Occam.Serialization;

namespace Occam.Cli.Engine;

/// <summary>
/// Builds models from <c>--model</c> specs, and rebuilds saved ones from the metadata stored beside their weights.
/// </summary>
internal static class ModelFactory
{
    /// <summary>File name of the selected model inside a run directory.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>The "format" metadata of saved models; a model of another format is refused, not guessed at.</summary>
    public const string ModelFormat = "occam-model-1";

    /// <summary>
    /// Builds and initialises a model for per-example <paramref name="inputShape"/> and <paramref name="classes"/> outputs.
    /// MLPs and CNNs are <see cref="ReferenceModels"/>' (the reference configurations); GPTs are <see cref="Gpt"/>.
    /// </summary>
    public static Layer Build(ModelSpec spec, int[] inputShape, int classes, int seed, double dropout)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (spec is GptSpec gpt)
        {
            return Gpt.Create(classes, gpt.Context, gpt.Layers, gpt.Heads, gpt.Embedding, seed);
        }

        switch (spec)
        {
            case MlpSpec mlp:
                return ReferenceModels.Mlp(inputShape, mlp.HiddenSizes, classes, dropout, seed);
            case CnnSpec cnn:
                if (inputShape.Length != 3)
                {
                    throw new UsageException($"--model {cnn}: needs image data, got examples of shape [{string.Join(", ", inputShape)}]");
                }

                if (!ReferenceModels.FitsCnn(inputShape))
                {
                    throw new UsageException($"--model {cnn}: images of {inputShape[1]}×{inputShape[2]} are too small for three 3×3 convolutions and two poolings");
                }

                return ReferenceModels.Cnn(inputShape, cnn.Channels, classes, seed);
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec, "Unknown model spec.");
        }
    }

    /// <summary>Metadata saved with a model so that it can be rebuilt and fed exactly as at training.</summary>
    public static Dictionary<string, string> Metadata(ModelSpec model, DataSpec data, int[] inputShape, IReadOnlyList<string> classNames,
        int seed, double dropout, string method, string? preprocessorJson)
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = ModelFormat,
            ["model"] = model.ToString() ?? "",
            ["data"] = data.ToString(),
            ["method"] = method,
            ["input_shape"] = JsonSerializer.Serialize(inputShape),
            ["classes"] = classNames.Count.ToString(CultureInfo.InvariantCulture),
            ["class_names"] = JsonSerializer.Serialize(classNames),
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["dropout"] = dropout.ToString("R", CultureInfo.InvariantCulture),
        };
        if (preprocessorJson is not null)
        {
            metadata["preprocessor"] = preprocessorJson;
        }

        return metadata;
    }

    /// <summary>
    /// Rebuilds a model saved by a run (a <c>model.safetensors</c> file, or the run directory holding one) and loads its weights.
    /// </summary>
    public static SavedModel FromSavedModel(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Directory.Exists(path) ? Path.Combine(path, ModelFileName) : path;
        if (!File.Exists(file))
        {
            throw new UsageException($"{path}: no saved model here (expected a {ModelFileName} file or a run directory holding one)");
        }

        var (_, metadata) = SafeTensors.Read(file);
        string Field(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"{Path.GetFileName(file)}: not an Occam model (metadata '{key}' is missing)");

        if (Field("format") != ModelFormat)
        {
            throw new InvalidDataException($"{Path.GetFileName(file)}: not an Occam model this version reads (format '{metadata["format"]}', expected '{ModelFormat}')");
        }

        try
        {
            var data = DataSpecParser.Parse(Field("data"));
            var spec = ModelSpecParser.Resolve(Field("model"), data);
            int[] inputShape = JsonSerializer.Deserialize<int[]>(Field("input_shape")) ?? [];
            string[] classNames = JsonSerializer.Deserialize<string[]>(Field("class_names")) ?? [];
            double dropout = double.Parse(Field("dropout"), CultureInfo.InvariantCulture);
            int seed = int.Parse(Field("seed"), CultureInfo.InvariantCulture);
            var model = Build(spec, inputShape, classNames.Length, seed: 0, dropout);
            ModelWeights.Load(file, model);
            metadata.TryGetValue("preprocessor", out var preprocessor);
            return new SavedModel(model, spec, data, inputShape, classNames, seed, preprocessor);
        }
        catch (Exception e) when (e is JsonException or FormatException or UsageException)
        {
            throw new InvalidDataException($"{Path.GetFileName(file)}: unreadable model metadata ({e.Message})", e);
        }
    }
}

/// <summary>A model rebuilt from disk, with what is needed to feed it.</summary>
/// <param name="Model">The model, weights and masks loaded.</param>
/// <param name="Spec">Its architecture.</param>
/// <param name="Data">The data it was trained on.</param>
/// <param name="InputShape">Per-example input shape.</param>
/// <param name="ClassNames">Output classes, in order.</param>
/// <param name="Seed">The training run's seed, which also fixed its train/test split.</param>
/// <param name="PreprocessorJson">The fitted CSV preprocessing, for tabular models.</param>
internal sealed record SavedModel(Occam.Layers.Layer Model, ModelSpec Spec, DataSpec Data, int[] InputShape, IReadOnlyList<string> ClassNames, int Seed, string? PreprocessorJson)
{
    /// <summary>The standardisation of a regression model's target (its outputs are in those units); null for classifiers.</summary>
    public Occam.Data.TargetScaling? Target => PreprocessorJson is null ? null : Occam.Data.TabularPreprocessor.FromJson(PreprocessorJson).Target;
}
