namespace Occam.Reports;

/// <summary>
/// Writes <c>report.md</c> and its PNG plots for one run or a comparison. Files are first written to a hidden staging
/// directory and moved into place only when all of them are complete, so a failure leaves no partial report.
/// </summary>
public static class RunReport
{
    /// <summary>File name of the Markdown report.</summary>
    public const string ReportFileName = "report.md";

    /// <summary>Reads the runs in <paramref name="runDirectory"/> and writes the report into <paramref name="outputDirectory"/> (default: the run directory).</summary>
    /// <returns>The path of the written <c>report.md</c>.</returns>
    public static string Write(string runDirectory, string? outputDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var runs = ReportedRun.ReadAll(runDirectory);
        return Write(runs, outputDirectory ?? runDirectory);
    }

    /// <summary>Writes the report of <paramref name="runs"/> into <paramref name="outputDirectory"/>, replacing an earlier report there.</summary>
    /// <returns>The path of the written <c>report.md</c>.</returns>
    public static string Write(IReadOnlyList<ReportedRun> runs, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        if (runs.Count == 0)
        {
            throw new ArgumentException("A report needs at least one run.", nameof(runs));
        }

        Directory.CreateDirectory(outputDirectory);
        string staging = Path.Combine(outputDirectory, $".report-staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var plots = ReportPlots.Write(runs, staging);
            string title = runs.Count == 1 ? $"Occam run report: {runs[0].Name}" : "Occam comparison report";
            File.WriteAllText(Path.Combine(staging, ReportFileName), ReportMarkdown.Build(runs, plots, title));
            foreach (string file in plots.Append(ReportFileName))
            {
                File.Move(Path.Combine(staging, file), Path.Combine(outputDirectory, file), overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        return Path.Combine(outputDirectory, ReportFileName);
    }

    /// <summary>
    /// Writes the report of a comparison repeated over <paramref name="seeds"/> (each seed's runs in its
    /// <see cref="SeedRuns.Folder"/>, which holds that seed's own report) into <paramref name="outputDirectory"/>.
    /// </summary>
    /// <returns>Each method's figures over the seeds, as the report shows them.</returns>
    public static IReadOnlyList<MethodOverSeeds> WriteOverSeeds(IReadOnlyList<SeedRuns> seeds, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        if (seeds.Count == 0 || seeds.Any(s => s.Runs.Count == 0))
        {
            throw new ArgumentException("A report over seeds needs at least one run for each of at least one seed.", nameof(seeds));
        }

        var methods = MethodOverSeeds.From(seeds);
        Occam.Serialization.AtomicFile.WriteAllText(Path.Combine(outputDirectory, ReportFileName), ReportMarkdown.BuildOverSeeds(seeds, methods));
        return methods;
    }
}
