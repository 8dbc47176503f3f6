namespace Occam.Tests.Cli;

/// <summary>Fixtures for the tests of what happens to run folders: a CSV to train on, and a folder's exact contents.</summary>
internal static class RunFolders
{
    /// <summary>Copies the repository's iris CSV into <paramref name="directory"/> (so a test may move or change it) and returns its path.</summary>
    public static string CopyIris(string directory)
    {
        string path = Path.Combine(directory, "iris.csv");
        File.Copy(Path.Combine(Occam.Tests.Data.TabularTests.RepositoryRoot(), "data", "tabular", "iris.csv"), path, overwrite: true);
        return path;
    }

    /// <summary>Every file in <paramref name="folder"/> with its bytes, to show a folder was left exactly as it was.</summary>
    public static SortedDictionary<string, string> Snapshot(string folder) =>
        new(Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), f => Convert.ToBase64String(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
