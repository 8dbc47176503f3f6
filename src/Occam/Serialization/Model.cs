using System.Globalization;
using System.Text.Json;
using Occam.Data;
using Occam.Layers;
using Occam.Losses;
using Occam.Tensors;

namespace Occam.Serialization;

/// <summary>
/// A trained network with what it takes to use it: the shape of its examples, its classes and, for a model trained on
/// a CSV file, the fitted preprocessing. <see cref="Save"/> writes all of it, architecture, weights and pruning masks,
/// into one safetensors file that <see cref="Load"/> (and <c>occam predict</c>, <c>eval</c> and <c>export</c>) reads back.
/// </summary>
public sealed class Model
{
    /// <summary>The usual file name of a saved model, inside a run folder.</summary>
    public const string FileName = "model.safetensors";

    /// <summary>The "format" metadata this version writes.</summary>
    public const string Format = "occam-model-2";

    /// <summary>The format written before the architecture was stored (rebuilt from its "model" metadata).</summary>
    private const string ReferenceFormat = "occam-model-1";

    private static readonly string[] OwnKeys = ["format", "architecture", "input_shape", "classes", "class_names", "preprocessor"];

    /// <summary>Wraps a trained network.</summary>
    /// <param name="network">A built <see cref="Models.Sequential"/> or <see cref="Models.Gpt"/>.</param>
    /// <param name="classNames">Its output classes, in order; for regression, the target's name.</param>
    /// <param name="preprocessor">For a model trained on a CSV file, the preprocessing fitted at training.</param>
    /// <param name="metadata">Other string metadata to keep in the file (e.g. how the command line trained it).</param>
    public Model(Layer network, IReadOnlyList<string> classNames, TabularPreprocessor? preprocessor = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(classNames);
        if (!network.IsBuilt)
        {
            throw new ArgumentException("The network is not built: build it (Sequential.Create) before wrapping it.", nameof(network));
        }

        Network = network;
        ClassNames = classNames;
        Preprocessor = preprocessor;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>The network, weights and masks included.</summary>
    public Layer Network { get; }

    /// <summary>The per-example input shape.</summary>
    public int[] InputShape => Network.InputShape.ToArray();

    /// <summary>Output classes, in order; for regression the one name of the target.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The CSV preprocessing fitted at training; null for a model not trained on a CSV file.</summary>
    public TabularPreprocessor? Preprocessor { get; }

    /// <summary>True when the model predicts a number (its preprocessing standardised a target) rather than a class.</summary>
    public bool IsRegression => Preprocessor?.Target is not null;

    /// <summary>Other metadata kept with the model.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes the model to <paramref name="path"/> atomically (a reader never sees a partial file).</summary>
    /// <exception cref="NotSupportedException">The network holds a layer that has no saved form.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var metadata = new Dictionary<string, string>(Metadata)
        {
            ["format"] = Format,
            ["architecture"] = ModelArchitecture.Describe(Network),
            ["input_shape"] = JsonSerializer.Serialize(InputShape, ModelJsonContext.Default.Int32Array),
            ["classes"] = ClassNames.Count.ToString(CultureInfo.InvariantCulture),
            ["class_names"] = JsonSerializer.Serialize([.. ClassNames], ModelJsonContext.Default.StringArray),
        };
        if (Preprocessor is not null)
        {
            metadata["preprocessor"] = Preprocessor.ToJson();
        }

        ModelWeights.Save(path, Network, metadata);
    }

    /// <summary>
    /// Reads a model saved by <see cref="Save"/> or by <c>occam train</c>/<c>compare</c> (any version), from the file or
    /// from a run folder holding <see cref="FileName"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">No saved model there.</exception>
    /// <exception cref="InvalidDataException">Not an Occam model, or its metadata or weights are damaged; the message names the file.</exception>
    public static Model Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{path}: no saved model here (expected a {FileName} file or a run folder holding one)", file);
        }

        var (_, metadata) = SafeTensors.Read(file);
        string name = Path.GetFileName(file);
        string Field(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"{name}: not an Occam model (metadata '{key}' is missing)");

        string format = Field("format");
        if (format is not (Format or ReferenceFormat))
        {
            throw new InvalidDataException($"{name}: not an Occam model this version reads (format '{format}', expected '{Format}' or '{ReferenceFormat}')");
        }

        Layer network;
        string[] classNames;
        TabularPreprocessor? preprocessor;
        try
        {
            int[] inputShape = JsonSerializer.Deserialize(Field("input_shape"), ModelJsonContext.Default.Int32Array) ?? [];
            classNames = JsonSerializer.Deserialize(Field("class_names"), ModelJsonContext.Default.StringArray) ?? [];
            network = format == Format
                ? ModelArchitecture.Build(Field("architecture"), inputShape)
                : ModelArchitecture.BuildReference(Field("model"), inputShape, classNames.Length, double.Parse(Field("dropout"), CultureInfo.InvariantCulture));
            preprocessor = metadata.TryGetValue("preprocessor", out var json) ? TabularPreprocessor.FromJson(json, $"{name}: preprocessor") : null;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or OverflowException or DataFormatException)
        {
            throw new InvalidDataException($"{name}: unreadable model metadata ({e.Message})", e);
        }

        ModelWeights.Load(file, network);
        foreach (string key in OwnKeys)
        {
            metadata.Remove(key);
        }

        return new Model(network, classNames, preprocessor, metadata);
    }

    /// <summary>
    /// The model's outputs for every row of <paramref name="features"/> (rows as the preprocessing produces them): per row
    /// the probability of each class, or for regression the one prediction in the target's original units.
    /// </summary>
    public float[][] Predict(Tensor features, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int width = features.RowLength;
        var rows = new float[features.Batch][];
        var batch = new Tensor([batchSize, .. Network.InputShape]);
        var softmax = new SoftmaxCrossEntropy();
        // The probabilities are what is wanted; the loss needs labels, and any will do.
        var labels = new int[batchSize];
        var target = Preprocessor?.Target;
        for (int start = 0; start < features.Batch; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(batchSize, features.Batch - start);
            batch.SetBatch(n);
            features.Span.Slice(start * width, n * width).CopyTo(batch.Span);
            var outputs = Network.Forward(batch, training: false);
            if (target is not null)
            {
                for (int r = 0; r < n; r++)
                {
                    rows[start + r] = [(float)target.ToOriginal(outputs.Span[r])];
                }

                continue;
            }

            softmax.Forward(outputs, labels.AsSpan(0, n));
            int classes = outputs.Length / n;
            for (int r = 0; r < n; r++)
            {
                rows[start + r] = softmax.Probabilities.Span.Slice(r * classes, classes).ToArray();
            }
        }

        return rows;
    }
}
