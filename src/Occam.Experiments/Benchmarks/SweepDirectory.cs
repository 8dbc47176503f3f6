using System.Text.Json;
using System.Text.Json.Serialization;
using Occam.Serialization;

namespace Occam.Benchmarks;

/// <summary>
/// A sweep's results on disk: <c>sweep.json</c> (the grid's definition, the same from every shard) and
/// <c>cells/KEY.json</c>, one result per cell, each written atomically, so a shard killed mid-cell leaves no partial
/// file and a retried shard skips the cells that exist.
/// </summary>
public sealed class SweepDirectory
{
    /// <summary>The file holding the sweep's definition.</summary>
    public const string ManifestFileName = "sweep.json";

    /// <summary>The folder of the cells' result files.</summary>
    public const string CellsFolderName = "cells";

    /// <summary>Non-finite figures (a classification's RMSE, a regression's log-loss) are NaN, written as such.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Uses <paramref name="path"/> (it need not exist yet).</summary>
    public SweepDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>Where <paramref name="cell"/>'s result is.</summary>
    public string CellPath(SweepCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return System.IO.Path.Combine(Path, CellsFolderName, cell.Key + ".json");
    }

    /// <summary>True when <paramref name="cell"/>'s result is here.</summary>
    public bool Has(SweepCell cell) => File.Exists(CellPath(cell));

    /// <summary>Writes <paramref name="cell"/>'s result atomically.</summary>
    public void Write<T>(SweepCell cell, T result)
    {
        string path = CellPath(cell);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, JsonOptions) + "\n");
    }

    /// <summary>Reads <paramref name="cell"/>'s result; a file that does not hold one is an <see cref="InvalidDataException"/> naming it.</summary>
    public T Read<T>(SweepCell cell)
    {
        string path = CellPath(cell);
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: no result in the file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a cell result ({e.Message})", e);
        }
    }

    /// <summary>
    /// Records <paramref name="manifest"/> as this directory's sweep, or checks that it is the one recorded: shards of
    /// different grids must not mix their cells. A different one is an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public void Claim(SweepManifest manifest)
    {
        Directory.CreateDirectory(Path);
        string path = System.IO.Path.Combine(Path, ManifestFileName);
        string text = JsonSerializer.Serialize(manifest, JsonOptions) + "\n";
        if (!File.Exists(path))
        {
            // Shards starting together write the same text, so whichever rename lands last changes nothing.
            AtomicFile.WriteAllText(path, text);
            return;
        }

        if (File.ReadAllText(path) != text)
        {
            throw new InvalidDataException($"{path}: this directory holds a different sweep (other data sets, seeds, methods or options); use another --out");
        }
    }

    /// <summary>The recorded sweep; a missing or unreadable <c>sweep.json</c> is an error naming the file.</summary>
    public SweepManifest ReadManifest()
    {
        string path = System.IO.Path.Combine(Path, ManifestFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no sweep here (each shard writes this file when it starts)", path);
        }

        try
        {
            return JsonSerializer.Deserialize<SweepManifest>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: no sweep in the file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a sweep definition ({e.Message})", e);
        }
    }
}
