using System.Globalization;

namespace Occam.Cli.Specs;

/// <summary>Parses <c>--model</c> values and picks the default model for a data family.</summary>
internal static class ModelSpecParser
{
    /// <summary>Upper bound on any single size, far above anything this CPU trains, to catch typos early.</summary>
    public const int MaxSize = 1 << 20;

    /// <summary>The model used when <c>--model</c> is omitted.</summary>
    public static ModelSpec DefaultFor(DataFamily family) => family switch
    {
        // The paper's dense reference: 784 -> 1024 ReLU -> dropout 0.2 -> 10.
        DataFamily.Images => new MlpSpec([1024]),
        DataFamily.Tabular => new MlpSpec([256, 256]),
        _ => new GptSpec(Layers: 2, Heads: 4, Embedding: 64, Context: 64),
    };

    /// <summary>
    /// The model to train on <paramref name="data"/>: the parsed <paramref name="text"/>, or the family's default when it is null.
    /// Throws <see cref="UsageException"/> when the spec is malformed or does not fit the data.
    /// </summary>
    public static ModelSpec Resolve(string? text, DataSpec data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (text is null)
        {
            return DefaultFor(data.Family);
        }

        var model = Parse(text);
        if (!model.Fits(data.Family))
        {
            string fits = model switch
            {
                GptSpec => "text data (text:PATH)",
                CnnSpec => "image data (fashion-mnist, mnist, cifar10 or digits)",
                _ => "image or tabular data",
            };
            throw new UsageException($"--model '{text}' needs {fits}, but --data '{data}' is {data.Family.ToString().ToLowerInvariant()} data");
        }

        return model;
    }

    /// <summary>Parses a spec; throws <see cref="UsageException"/> naming the problem when it is malformed.</summary>
    public static ModelSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string prefix = $"--model '{text}'";
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string keyword = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        string? arguments = colon < 0 ? null : text[(colon + 1)..];
        string form = keyword switch
        {
            "mlp" => "mlp:H1[,H2...]",
            "cnn" => "cnn:N",
            "gpt" => "gpt:LAYERS,HEADS,EMBED,CONTEXT",
            _ => throw new UsageException(
                $"{prefix}: unknown model kind '{keyword}' (expected mlp:H1[,H2...], cnn:N or gpt:LAYERS,HEADS,EMBED,CONTEXT)"),
        };
        if (string.IsNullOrWhiteSpace(arguments))
        {
            throw new UsageException($"{prefix}: {keyword} needs its sizes (expected {form})");
        }

        string[] parts = arguments.Split(',');
        switch (keyword)
        {
            case "mlp":
                var hidden = new int[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    hidden[i] = PositiveInteger(parts[i], "hidden size", prefix);
                }

                return new MlpSpec(hidden);
            case "cnn":
                ExpectCount(parts, 1, form, prefix);
                return new CnnSpec(PositiveInteger(parts[0], "channel count", prefix));
            default:
                ExpectCount(parts, 4, form, prefix);
                var gpt = new GptSpec(
                    PositiveInteger(parts[0], "layer count", prefix),
                    PositiveInteger(parts[1], "head count", prefix),
                    PositiveInteger(parts[2], "embedding size", prefix),
                    PositiveInteger(parts[3], "context length", prefix));
                if (gpt.Embedding % gpt.Heads != 0)
                {
                    throw new UsageException(
                        $"{prefix}: embedding size {gpt.Embedding} is not divisible by the head count {gpt.Heads}");
                }

                return gpt;
        }
    }

    private static void ExpectCount(string[] parts, int count, string form, string prefix)
    {
        if (parts.Length != count)
        {
            string noun = count == 1 ? "number" : "numbers";
            throw new UsageException($"{prefix}: expected {count} {noun} ({form}), got {parts.Length}");
        }
    }

    private static int PositiveInteger(string part, string what, string prefix)
    {
        string trimmed = part.Trim();
        if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
        {
            throw new UsageException($"{prefix}: {what} '{trimmed}' is not a positive integer");
        }

        if (value > MaxSize)
        {
            throw new UsageException($"{prefix}: {what} {value} is larger than the maximum {MaxSize}");
        }

        return value;
    }
}
