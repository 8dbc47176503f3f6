using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Occam.Serialization;

namespace Occam.Benchmarks;

/// <summary>Writes a <see cref="PaperBenchmarkResult"/> as <c>report.md</c> (tables, plots, verdicts) and <c>results.json</c>.</summary>
public static class PaperReport
{
    /// <summary>File name of the Markdown report.</summary>
    public const string ReportFileName = "report.md";

    /// <summary>File name of the machine-readable results.</summary>
    public const string ResultsFileName = "results.json";

    /// <summary>Writes both files into <paramref name="directory"/>, each atomically.</summary>
    public static void Write(PaperBenchmarkResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, ReportFileName), Markdown(result));
        AtomicFile.WriteAllText(Path.Combine(directory, ResultsFileName), Json(result) + "\n");
    }

    /// <summary>The report: run facts, then per experiment its configuration, table, verdict and plots.</summary>
    public static string Markdown(PaperBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("# Occam: SPEC §4 comparisons").Append(result.Quick ? " (quick budgets)" : "").Append("\n\n");
        text.Append(inv, $"- Date: {result.Started:yyyy-MM-dd HH:mm} UTC\n");
        text.Append(inv, $"- Command: `{result.Command}`\n");
        text.Append(inv, $"- Machine: {result.Cores} logical cores, {result.Threads} kernel threads, {Environment.OSVersion}, .NET {Environment.Version}\n");
        text.Append(inv, $"- Wall time: {result.Seconds / 60:F1} min\n\n");
        text.Append("Every run selects its model by the loss on a held-out 10 % of its training data; test figures are reported, never used to choose. ");
        text.Append("Occam is the default `occam` controller. Post-training pruning (posthoc) prunes the dense run's selected model by magnitude to ");
        text.Append("Occam's selected density of the prunable weights, without and with one fine-tuning epoch; gmp (Zhu & Gupta's gradual ");
        text.Append("magnitude pruning) prunes to that density during training. Density: nonzero over all parameters. ");
        text.Append("The post-training runs' seconds include the dense run they start from. ");
        text.Append("Where Occam kept every weight, pruning to its density would prune nothing: posthoc, posthoc-finetune and gmp are then not run, ");
        text.Append(inv, $"and their figures are the dense run's, labelled \"{PaperMethodRow.SameAsDenseNote}\".\n");
        int number = 0;
        foreach (var experiment in result.Experiments)
        {
            text.Append(inv, $"\n## {++number}. {experiment.Title}\n\n");
            text.Append("Configuration: ").Append(experiment.Configuration).Append('\n');
            text.Append(inv, $"Wall time: {experiment.Seconds / 60:F1} min.\n\n");
            text.Append("| Method | Selected epoch | Test loss | Test accuracy | Density | Nonzero params | Training seconds |\n");
            text.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            foreach (var row in experiment.Rows)
            {
                string method = row.Note is { } note ? $"{row.Method} ({note})" : row.Method;
                double lossSpread = experiment.Spread(row.Method, r => r.TestLoss);
                double accuracySpread = experiment.Spread(row.Method, r => r.TestAccuracy);
                string loss = double.IsFinite(lossSpread) ? string.Create(inv, $"{row.TestLoss:F4} ± {lossSpread:F4}") : row.TestLoss.ToString("F4", inv);
                string accuracy = double.IsFinite(accuracySpread) ? string.Create(inv, $"{row.TestAccuracy:P2} ± {accuracySpread:P2}") : row.TestAccuracy.ToString("P2", inv);
                text.Append(inv, $"| {method} | {row.SelectedEpoch:0.#} | {loss} | {accuracy} | {row.Density:P1} | {row.NonzeroParams:N0} | {row.TrainSeconds:F1} |\n");
            }

            text.Append("\n**Where Occam loses:** ").Append(experiment.WhereOccamLoses).Append('\n');
            if (experiment.DenseCurve is { Epochs.Count: > 0 } curve)
            {
                AppendDenseCurve(text, curve);
            }
            if (experiment.TabularSets.Count > 0)
            {
                AppendTabularSets(text, experiment);
            }

            if (experiment.Plots.Count > 0)
            {
                text.Append('\n');
                foreach (string plot in experiment.Plots)
                {
                    text.Append(inv, $"![{experiment.Name} {Path.GetFileNameWithoutExtension(plot)}]({plot})\n");
                }

                foreach (string folder in experiment.Plots.Select(p => p[..p.LastIndexOf('/')]).Distinct(StringComparer.Ordinal))
                {
                    text.Append(inv, $"\nEvery run's epochs: [{folder}/report.md]({folder}/report.md); run records in `{folder}/<method>/`.\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The results as one indented JSON object (non-finite figures as null).</summary>
    public static string Json(PaperBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("date", result.Started.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            writer.WriteString("command", result.Command);
            writer.WriteNumber("cores", result.Cores);
            writer.WriteNumber("threads", result.Threads);
            writer.WriteBoolean("quick", result.Quick);
            Number(writer, "seconds", result.Seconds);
            writer.WriteStartArray("experiments");
            foreach (var experiment in result.Experiments)
            {
                WriteExperiment(writer, experiment);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// One line per experiment, method and seed: <c>{"experiment", "method", "seed", "test_loss", "test_accuracy", "density",
    /// "nonzero", "train_seconds"}</c> (the tabular suite's figures are that seed's means over the sets).
    /// </summary>
    public static IEnumerable<string> JsonLines(PaperBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var experiment in result.Experiments)
        {
            foreach (var (seed, row) in experiment.SeedRows)
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    writer.WriteString("experiment", experiment.Name);
                    writer.WriteString("method", row.Method);
                    writer.WriteNumber("seed", seed);
                    foreach (var (field, value) in SeedLineFigures(row))
                    {
                        Number(writer, field, value);
                    }

                    writer.WriteEndObject();
                }

                yield return Encoding.UTF8.GetString(buffer.ToArray());
            }
        }
    }

    /// <summary>The figures of a <see cref="JsonLines"/> line, in its order.</summary>
    private static (string Field, double Value)[] SeedLineFigures(PaperMethodRow row) =>
        [("test_loss", row.TestLoss), ("test_accuracy", row.TestAccuracy), ("density", row.Density), ("nonzero", row.NonzeroParams), ("train_seconds", row.TrainSeconds)];

    private static void WriteExperiment(Utf8JsonWriter writer, PaperExperimentResult experiment)
    {
        writer.WriteStartObject();
        writer.WriteString("name", experiment.Name);
        writer.WriteString("title", experiment.Title);
        writer.WriteString("configuration", experiment.Configuration);
        Number(writer, "seconds", experiment.Seconds);
        writer.WriteString("where_occam_loses", experiment.WhereOccamLoses);
        writer.WriteStartArray("plots");
        foreach (string plot in experiment.Plots)
        {
            writer.WriteStringValue(plot);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("methods");
        foreach (var row in experiment.Rows)
        {
            writer.WriteStartObject();
            writer.WriteString("method", row.Method);
            Number(writer, "selected_epoch", row.SelectedEpoch);
            Number(writer, "test_loss", row.TestLoss);
            Number(writer, "test_accuracy", row.TestAccuracy);
            Number(writer, "test_loss_sd", experiment.Spread(row.Method, r => r.TestLoss));
            Number(writer, "test_accuracy_sd", experiment.Spread(row.Method, r => r.TestAccuracy));
            Number(writer, "density", row.Density);
            Number(writer, "nonzero_params", row.NonzeroParams);
            Number(writer, "train_seconds", row.TrainSeconds);
            Number(writer, "same_as_dense", row.SameAsDense);
            if (row.Note is { } note)
            {
                writer.WriteString("note", note);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (experiment.DenseCurve is { } curve)
        {
            writer.WriteStartObject("dense_curve");
            writer.WriteNumber("seed", curve.Seed);
            writer.WriteNumber("holdout_minimum_epoch", curve.HoldoutMinimumEpoch);
            writer.WriteStartArray("epochs");
            foreach (var point in curve.Epochs)
            {
                writer.WriteStartObject();
                writer.WriteNumber("epoch", point.Epoch);
                Number(writer, "train_loss", point.TrainLoss ?? double.NaN);
                Number(writer, "holdout_loss", point.HoldoutLoss);
                Number(writer, "test_loss", point.TestLoss ?? double.NaN);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteStartArray("datasets");
        foreach (var set in experiment.TabularSets)
        {
            writer.WriteStartObject();
            writer.WriteString("dataset", set.Dataset);
            writer.WriteNumber("rows", set.Rows);
            foreach (var (key, m) in set.Methods.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(key);
                Number(writer, "logloss", m.MeanLogLoss);
                Number(writer, "accuracy", m.MeanAccuracy);
                Number(writer, "density", m.MeanDensity);
                Number(writer, "size", m.MeanNonzeroParams);
                Number(writer, "seconds", m.MeanSeconds);
                Number(writer, "same_as_dense", m.SameAsDense);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Dense GD's losses per epoch, the held-out minimum (the epoch selection picks) in bold.</summary>
    private static void AppendDenseCurve(StringBuilder text, PaperDenseCurve curve)
    {
        var inv = CultureInfo.InvariantCulture;
        int minimum = curve.HoldoutMinimumEpoch;
        text.Append(inv, $"\nDense GD per epoch (seed {curve.Seed}): its held-out loss is lowest at epoch {minimum} of {curve.Epochs[^1].Epoch} (bold), ");
        text.Append("the epoch selection picks; where it turns up, dense GD overfits.\n\n");
        text.Append("| Epoch | Train loss | Held-out loss | Test loss |\n| ---: | ---: | ---: | ---: |\n");
        foreach (var point in curve.Epochs)
        {
            string bold = point.Epoch == minimum ? "**" : "";
            text.Append(inv, $"| {bold}{point.Epoch}{bold} | {Figure(point.TrainLoss)} | {bold}{point.HoldoutLoss:F4}{bold} | {Figure(point.TestLoss)} |\n");
        }
    }

    /// <summary>A loss to four decimals, or "–" when the run has none.</summary>
    private static string Figure(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "–";

    private static void AppendTabularSets(StringBuilder text, PaperExperimentResult experiment)
    {
        var inv = CultureInfo.InvariantCulture;
        var keys = experiment.Rows.Select(r => TabularBenchmark.ResultKey(r.Method)).ToList();
        text.Append("\nPer set (mean over seeds), cell: test log-loss / accuracy / density; \"= dense\" marks the dense run's figures reused on ");
        text.Append("every seed (\"= dense on k/n\": on k of n seeds) where Occam kept every weight:\n\n");
        text.Append("| Set | Rows | ").AppendJoin(" | ", experiment.Rows.Select(r => r.Method)).Append(" |\n");
        text.Append("| --- | ---: |").Append(string.Concat(Enumerable.Repeat(" ---: |", keys.Count))).Append('\n');
        foreach (var set in experiment.TabularSets)
        {
            text.Append(inv, $"| {set.Dataset} | {set.Rows} |");
            foreach (string key in keys)
            {
                var m = set.Methods[key];
                text.Append(inv, $" {m.MeanLogLoss:F4} / {m.MeanAccuracy:P1} / {m.MeanDensity:P1}{SameAsDenseMark(m)} |");
            }

            text.Append('\n');
        }
    }

    /// <summary>" = dense" when every seed reused the dense run's figures, " = dense on k/n" when some did, else nothing.</summary>
    private static string SameAsDenseMark(TabularMethodResult method)
    {
        int reused = method.Seeds.Count(s => s.SameAsDense);
        return reused == 0 ? "" : reused == method.Seeds.Count ? " = dense" : string.Create(CultureInfo.InvariantCulture, $" = dense on {reused}/{method.Seeds.Count}");
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
