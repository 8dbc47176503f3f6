using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Occam.Cli.Engine;

namespace Occam.Cli.Output;

/// <summary>The single-line JSON documents the commands print on stdout with <c>--json</c>.</summary>
internal static class JsonOutput
{
    /// <summary>An object with one member per named document, in order: <c>{"dense": {...}, "occam": {...}}</c>.</summary>
    public static string Combine(IReadOnlyList<(string Name, string Json)> documents)
    {
        var combined = new JsonObject();
        foreach (var (name, json) in documents)
        {
            combined[name] = JsonNode.Parse(json);
        }

        return combined.ToJsonString();
    }

    /// <summary>An evaluation result, snake_case; regression results have mse, rmse, mae and r2 in place of accuracy.</summary>
    public static string Evaluation(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Write(writer =>
        {
            writer.WriteNumber("examples", result.Examples);
            writer.WriteNumber("loss", result.Loss);
            if (result.Regression is { } scores)
            {
                writer.WriteNumber("mse", scores.Mse);
                writer.WriteNumber("rmse", scores.Rmse);
                writer.WriteNumber("mae", scores.Mae);
                writer.WriteNumber("r2", scores.R2);
            }
            else
            {
                writer.WriteNumber("accuracy", result.Accuracy);
            }

            writer.WriteNumber("nonzero_params", result.NonzeroParams);
            writer.WriteNumber("total_params", result.TotalParams);
            writer.WriteNumber("density", result.TotalParams > 0 ? (double)result.NonzeroParams / result.TotalParams : 0);
        });
    }

    /// <summary>
    /// One kernel benchmark case with the SIMD path and kernel that ran:
    /// <c>{"case": "sgemm_256", "isa": "avx512", "kernel": "gemm 8x32 vector512", "gflops": 123.4}</c>.
    /// </summary>
    public static string KernelRow(KernelScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return Write(writer =>
        {
            writer.WriteString("case", score.Name);
            writer.WriteString("isa", score.Isa);
            writer.WriteString("kernel", score.Kernel);
            writer.WriteNumber("gflops", Math.Round(score.GigaflopsPerSecond, 1));
        });
    }

    /// <summary>
    /// One density of the sparse benchmark: <c>{"density": 0.1, "train_epoch_seconds": 1.23, "inference_examples_per_second": 45678,
    /// "isa": "avx2", "kernel": "sparse", "inference_kernel": "sparse", "training_crossover": 0.41, "inference_crossover": 0.33}</c>
    /// (kernel: the training kernels; a crossover is null when the layer was not calibrated).
    /// </summary>
    public static string SparseRow(Occam.Benchmarks.SparseBenchmarkRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Write(writer =>
        {
            writer.WriteNumber("density", row.Density);
            writer.WriteNumber("train_epoch_seconds", Math.Round(row.TrainEpochSeconds, 4));
            writer.WriteNumber("inference_examples_per_second", Math.Round(row.InferenceExamplesPerSecond));
            writer.WriteString("isa", row.Isa);
            writer.WriteString("kernel", row.TrainingRanSparse ? "sparse" : "dense");
            writer.WriteString("inference_kernel", row.InferenceRanSparse ? "sparse" : "dense");
            WriteCrossover(writer, "training_crossover", row.TrainingCrossover);
            WriteCrossover(writer, "inference_crossover", row.InferenceCrossover);
        });
    }

    private static void WriteCrossover(Utf8JsonWriter writer, string name, double? crossover)
    {
        if (crossover is double value)
        {
            writer.WriteNumber(name, Math.Round(value, 3));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Write(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
