using System.Globalization;
using Occam.Cli.Specs;
using Occam.Data;
using Occam.Layers;
using Occam.Models;
using Occam.Serialization;

namespace Occam.Cli.Engine;

/// <summary>
/// Builds models from <c>--model</c> specs, and names what the command line keeps beside a saved model (the library's
/// <see cref="Model"/> saves and rebuilds the model itself).
/// </summary>
internal static class ModelFactory
{
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

    /// <summary>
    /// What the command line records beside a model it saves (<see cref="Model.Metadata"/>): its --model and --data, the
    /// method, and the seed, which fixed the train/test split that eval repeats.
    /// </summary>
    public static Dictionary<string, string> RunMetadata(ModelSpec model, DataSpec data, int seed, double dropout, string method) => new()
    {
        ["model"] = model.ToString() ?? "",
        ["data"] = data.ToString(),
        ["method"] = method,
        ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
        ["dropout"] = dropout.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The seed of the split a saved model was trained on (a built-in set's test part depends on it): the one the command
    /// line recorded, or for a model saved by a program, the library's default (<see cref="TabularOptions.Seed"/>).
    /// </summary>
    public static int SplitSeed(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Metadata.TryGetValue("seed", out var seed) && int.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : new TabularOptions().Seed;
    }
}
