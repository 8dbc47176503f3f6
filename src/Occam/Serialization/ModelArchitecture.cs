using System.Globalization;
using System.Text.Json.Nodes;
using Occam.Layers;
using Occam.Models;

namespace Occam.Serialization;

/// <summary>
/// A model's architecture as JSON (the "architecture" metadata of a saved model): a <see cref="Sequential"/> stack as its
/// layers' settings in order, or a <see cref="Gpt"/> as its sizes. Enough to rebuild the model for its saved weights.
/// </summary>
internal static class ModelArchitecture
{
    /// <summary>The architecture of <paramref name="model"/>, a built <see cref="Sequential"/> or <see cref="Gpt"/>.</summary>
    /// <exception cref="NotSupportedException">The model, or one of its layers, has no saved form.</exception>
    public static string Describe(Layer model) => model switch
    {
        Gpt gpt => new JsonObject
        {
            ["type"] = "gpt",
            ["vocabulary"] = gpt.VocabularySize,
            ["context"] = gpt.ContextLength,
            ["layers"] = gpt.Blocks.Count,
            ["heads"] = gpt.Heads,
            ["embedding"] = gpt.EmbeddingDim,
        }.ToJsonString(),
        Sequential sequential => new JsonObject
        {
            ["type"] = "sequential",
            ["layers"] = new JsonArray([.. sequential.Layers.Select(DescribeLayer)]),
        }.ToJsonString(),
        _ => throw new NotSupportedException($"a {model.GetType().Name} cannot be saved: save a Sequential or a Gpt"),
    };

    private static JsonNode DescribeLayer(Layer layer) => layer switch
    {
        Dense dense => new JsonObject { ["type"] = "dense", ["units"] = dense.OutFeatures, ["bias"] = dense.Bias is not null },
        Conv2D conv => new JsonObject
        {
            ["type"] = "conv2d",
            ["filters"] = conv.Filters,
            ["kernel"] = conv.KernelSize,
            ["padding"] = conv.Padding == Padding.Same ? "same" : "valid",
            ["bias"] = conv.Parameters.Count > 1,
        },
        MaxPool2D pool => new JsonObject { ["type"] = "maxpool2d", ["size"] = pool.PoolSize },
        Dropout dropout => new JsonObject { ["type"] = "dropout", ["rate"] = dropout.Rate, ["seed"] = dropout.Seed },
        LayerNorm norm => new JsonObject { ["type"] = "layernorm", ["epsilon"] = norm.Epsilon },
        Flatten => new JsonObject { ["type"] = "flatten" },
        ReLU => new JsonObject { ["type"] = "relu" },
        Tanh => new JsonObject { ["type"] = "tanh" },
        GELU => new JsonObject { ["type"] = "gelu" },
        _ => throw new NotSupportedException($"a {layer.GetType().Name} layer cannot be saved"),
    };

    /// <summary>Builds the model <paramref name="json"/> describes for examples of <paramref name="inputShape"/> (weights to be loaded).</summary>
    /// <exception cref="FormatException">The JSON is not an architecture this version builds.</exception>
    public static Layer Build(string json, int[] inputShape)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("the architecture is null");
        string type = Text(root, "type");
        if (type == "gpt")
        {
            return Gpt.Create(Number(root, "vocabulary"), Number(root, "context"), Number(root, "layers"), Number(root, "heads"), Number(root, "embedding"), seed: 0);
        }

        if (type != "sequential")
        {
            throw new FormatException($"unknown architecture type '{type}'");
        }

        var layers = (root["layers"] as JsonArray ?? throw new FormatException("'layers' is missing"))
            .Select(node => BuildLayer(node as JsonObject ?? throw new FormatException("a layer is not an object")))
            .ToArray();
        return Sequential.Create(inputShape, seed: 0, layers);
    }

    private static Layer BuildLayer(JsonObject layer) => Text(layer, "type") switch
    {
        "dense" => new Dense(Number(layer, "units"), Flag(layer, "bias")),
        "conv2d" => new Conv2D(Number(layer, "filters"), Number(layer, "kernel"), Text(layer, "padding") == "same" ? Padding.Same : Padding.Valid, Flag(layer, "bias")),
        "maxpool2d" => new MaxPool2D(Number(layer, "size")),
        "dropout" => new Dropout(Value<float>(layer, "rate"), Number(layer, "seed")),
        "layernorm" => new LayerNorm(Value<float>(layer, "epsilon")),
        "flatten" => new Flatten(),
        "relu" => new ReLU(),
        "tanh" => new Tanh(),
        "gelu" => new GELU(),
        string other => throw new FormatException($"unknown layer type '{other}'"),
    };

    /// <summary>
    /// Rebuilds a model saved before architectures were stored ("occam-model-1" files): the command line's reference
    /// MLP, CNN or GPT named by its "model" metadata (e.g. "mlp:256,256", "cnn:32", "gpt:2,4,64,64").
    /// </summary>
    public static Layer BuildReference(string model, int[] inputShape, int classes, double dropout)
    {
        int colon = model.IndexOf(':', StringComparison.Ordinal);
        int[] sizes = colon < 0 ? [] : [.. model[(colon + 1)..].Split(',').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))];
        return (colon < 0 ? model : model[..colon], sizes.Length) switch
        {
            ("mlp", > 0) => ReferenceModels.Mlp(inputShape, sizes, classes, dropout, seed: 0),
            ("cnn", 1) => ReferenceModels.Cnn(inputShape, sizes[0], classes, seed: 0),
            ("gpt", 4) => Gpt.Create(classes, sizes[3], sizes[0], sizes[1], sizes[2], seed: 0),
            _ => throw new FormatException($"unknown model '{model}'"),
        };
    }

    private static string Text(JsonObject node, string name) =>
        node[name]?.GetValue<string>() ?? throw new FormatException($"'{name}' is missing");

    private static int Number(JsonObject node, string name) => Value<int>(node, name);

    private static bool Flag(JsonObject node, string name) => Value<bool>(node, name);

    private static T Value<T>(JsonObject node, string name) =>
        node[name] is JsonValue value ? value.GetValue<T>() : throw new FormatException($"'{name}' is missing");
}
