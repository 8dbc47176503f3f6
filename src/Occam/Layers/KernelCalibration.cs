using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Occam.Kernels;
using Occam.Serialization;
using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// Where sparse kernels pay on this CPU. The first time a pruned layer of a given shape and batch size must choose its
/// kernels, its dense and sparse paths are timed on a copy of the layer (about a fifth of a second), and the density
/// below which the sparse path is faster is kept in memory and in a cache file per machine (CPU model, SIMD path,
/// thread count and build of the library), so later runs reuse it. Nothing measured on another machine decides.
/// </summary>
/// <remarks>
/// Timing: the dense path once, the sparse path at densities 0.1 and 0.5 (its cost is about linear in the live
/// weights), in five interleaved rounds of about 10 ms per candidate, taking each candidate's fastest round; the
/// crossover is the density where the fitted sparse time falls to 95 % of the dense time, so a layer runs sparse only
/// where it is faster beyond noise. Results do not depend on the choice beyond the order of floating-point sums (the
/// dense and sparse products add the same terms in different orders); the choice itself can differ between machines,
/// and on one machine between calibrations, so bit-identical reruns need the same cache (or calibration off). A resumed
/// run does not: its checkpoint holds the crossovers its layers decided by, and they are reused.
/// Set <c>OCCAM_KERNEL_CALIBRATION=off</c> (or <see cref="Enabled"/>) to never run sparse kernels automatically, and
/// <c>OCCAM_KERNEL_CALIBRATION=reset</c> (or <see cref="Reset"/>) to measure again.
/// </remarks>
public static class KernelCalibration
{
    /// <summary>The environment variable that turns calibration off (<c>off</c>) or discards its cache (<c>reset</c>).</summary>
    public const string EnvironmentVariable = "OCCAM_KERNEL_CALIBRATION";

    // The sparse path is timed at these densities; its cost between and beyond them is taken as linear in the density.
    private const double LowDensity = 0.1;
    private const double HighDensity = 0.5;

    // The sparse path must be at least this much faster: a choice that measurement noise can reverse is not taken.
    private const double RequiredSpeedup = 0.95;
    private const int Rounds = 5;
    private const double BlockSeconds = 0.01;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Dictionary<string, CalibrationEntry>> Machines = [];
    private static readonly string Build = typeof(KernelCalibration).Module.ModuleVersionId.ToString("N")[..12];
    private static readonly string Cpu = ReadCpuModel();
    private static string _cacheDirectory = DefaultCacheDirectory();
    private static bool _resetPending = string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "reset", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether pruned layers on <see cref="KernelPath.Automatic"/> may run sparse kernels (false: they run dense, so a
    /// pruned model trains and runs at dense speed). Defaults to true unless <c>OCCAM_KERNEL_CALIBRATION=off</c>.
    /// </summary>
    public static bool Enabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The folder of the cache files: <c>$OCCAM_CACHE_DIR</c>, else the user's cache folder (<c>$XDG_CACHE_HOME/occam</c>,
    /// <c>~/.cache/occam</c>; <c>~/Library/Caches/occam</c> on macOS; <c>%LOCALAPPDATA%\occam</c> on Windows).
    /// </summary>
    public static string CacheDirectory
    {
        get => _cacheDirectory;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            lock (Gate)
            {
                _cacheDirectory = value;
                Machines.Clear();
            }
        }
    }

    /// <summary>What the calibration is keyed by: CPU model, SIMD path, kernel threads, architecture and library build.</summary>
    public static string MachineKey => $"{Hardware} | build {Build}";

    /// <summary>
    /// The cache file of <see cref="MachineKey"/>. Its name leaves the build out, so a new build of the library replaces
    /// the file of the one before instead of adding another.
    /// </summary>
    public static string CacheFile
    {
        get
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Hardware));
            return Path.Combine(CacheDirectory, $"kernels-{Convert.ToHexStringLower(hash)[..16]}.json");
        }
    }

    private static string Hardware => $"{Cpu} | {Simd.IsaName} | {Parallelism.ThreadCount} threads | {RuntimeInformation.ProcessArchitecture}";

    /// <summary>The calibrations known for <see cref="MachineKey"/>, by layer shape, batch and mode.</summary>
    public static IReadOnlyDictionary<string, CalibrationEntry> Entries
    {
        get
        {
            lock (Gate)
            {
                return new Dictionary<string, CalibrationEntry>(Current());
            }
        }
    }

    /// <summary>Forgets every calibration of <see cref="MachineKey"/>, in memory and in the cache file.</summary>
    public static void Reset()
    {
        lock (Gate)
        {
            Forget();
        }
    }

    /// <summary>
    /// The largest density at which <paramref name="layer"/> runs faster on sparse kernels than on dense ones for a batch
    /// of <paramref name="rows"/>, in training (forward and backward) or inference; measured on first use.
    /// Below 0 when calibration is off.
    /// </summary>
    internal static double Crossover(ISparseKernelLayer layer, int rows, bool training)
    {
        if (!Enabled)
        {
            return -1;
        }

        string key = Key(layer, rows, training);
        lock (Gate)
        {
            var entries = Current();
            if (!entries.TryGetValue(key, out var entry))
            {
                entry = Measure(layer, layer.CalibrationRows(rows), training);
                entries[key] = entry;
                Save(entries);
            }

            return entry.Crossover;
        }
    }

    /// <summary>The calibration of <paramref name="layer"/> for a batch of <paramref name="rows"/>, if it was measured.</summary>
    internal static CalibrationEntry? Find(ISparseKernelLayer layer, int rows, bool training)
    {
        lock (Gate)
        {
            return Current().GetValueOrDefault(Key(layer, rows, training));
        }
    }

    private static string Key(ISparseKernelLayer layer, int rows, bool training) =>
        $"{layer.CalibrationShape} batch {layer.CalibrationRows(rows)} {(training ? "training" : "inference")}";

    /// <summary>
    /// The density at which the sparse time, a line through (0.1, <paramref name="sparseLow"/>) and
    /// (0.5, <paramref name="sparseHigh"/>), falls to 95 % of <paramref name="dense"/>, within [0, 1].
    /// </summary>
    internal static double Fit(double dense, double sparseLow, double sparseHigh)
    {
        double target = RequiredSpeedup * dense;
        double slope = (sparseHigh - sparseLow) / (HighDensity - LowDensity);
        if (slope <= 0)
        {
            // Noise hid the growth with density: trust only what was measured.
            return sparseHigh <= target ? HighDensity : sparseLow <= target ? LowDensity : 0;
        }

        return Math.Clamp(LowDensity + ((target - sparseLow) / slope), 0, 1);
    }

    private static CalibrationEntry Measure(ISparseKernelLayer layer, int rows, bool training)
    {
        var random = new Random(1);
        var twins = new[]
        {
            layer.CreateTwin(KernelPath.Dense, random),
            Pruned(layer.CreateTwin(KernelPath.Sparse, random), LowDensity, random),
            Pruned(layer.CreateTwin(KernelPath.Sparse, random), HighDensity, random),
        };
        var input = Filled(new Tensor([rows, .. twins[0].InputShape]), random);
        var outputGrad = Filled(new Tensor([rows, .. twins[0].OutputShape]), random);
        var repetitions = new int[twins.Length];
        var best = new double[twins.Length];
        for (int c = 0; c < twins.Length; c++)
        {
            // The first passes build buffers and compact copies; the next one sizes the timed blocks.
            Pass(twins[c], input, outputGrad, training);
            Pass(twins[c], input, outputGrad, training);
            double once = Time(twins[c], input, outputGrad, training, 1);
            repetitions[c] = (int)Math.Clamp(Math.Ceiling(BlockSeconds / Math.Max(once, 1e-7)), 1, 10_000);
            best[c] = once;
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int c = 0; c < twins.Length; c++)
            {
                best[c] = Math.Min(best[c], Time(twins[c], input, outputGrad, training, repetitions[c]));
            }
        }

        return new CalibrationEntry(Fit(best[0], best[1], best[2]), best[0] * 1e3, best[1] * 1e3, best[2] * 1e3);
    }

    private static double Time(Layer twin, Tensor input, Tensor outputGrad, bool training, int repetitions)
    {
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < repetitions; i++)
        {
            Pass(twin, input, outputGrad, training);
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds / repetitions;
    }

    private static void Pass(Layer twin, Tensor input, Tensor outputGrad, bool training)
    {
        twin.Forward(input, training);
        if (training)
        {
            twin.Backward(outputGrad);
        }
    }

    private static Layer Pruned(Layer twin, double density, Random random)
    {
        var weight = ((ISparseKernelLayer)twin).Weight;
        var mask = new Tensor([.. weight.Value.Shape]);
        var values = weight.Value.Span;
        var alive = mask.Span;
        for (int i = 0; i < alive.Length; i++)
        {
            alive[i] = random.NextDouble() < density ? 1f : 0f;
            values[i] *= alive[i];
        }

        weight.Mask = mask;
        return twin;
    }

    private static Tensor Filled(Tensor tensor, Random random)
    {
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return tensor;
    }

    // Callers hold Gate.
    private static void Forget()
    {
        Machines.Remove(MachineKey);
        File.Delete(CacheFile);
    }

    private static Dictionary<string, CalibrationEntry> Current()
    {
        if (_resetPending)
        {
            _resetPending = false;
            Forget();
        }

        string machine = MachineKey;
        if (!Machines.TryGetValue(machine, out var entries))
        {
            entries = Load(machine);
            Machines[machine] = entries;
        }

        return entries;
    }

    private static Dictionary<string, CalibrationEntry> Load(string machine)
    {
        try
        {
            using var stream = File.OpenRead(CacheFile);
            var file = JsonSerializer.Deserialize(stream, CalibrationJsonContext.Default.CalibrationFile);
            // A file whose key differs (another build of the library, an edited file) is not this one's: it is replaced.
            return file is not null && file.Machine == machine ? file.Entries : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    private static void Save(Dictionary<string, CalibrationEntry> entries)
    {
        try
        {
            var file = new CalibrationFile(MachineKey, entries);
            AtomicFile.WriteAllText(CacheFile, JsonSerializer.Serialize(file, CalibrationJsonContext.Default.CalibrationFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only home folder only costs the next process a calibration.
        }
    }

    private static string DefaultCacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("OCCAM_CACHE_DIR") is { Length: > 0 } explicitDirectory)
        {
            return explicitDirectory;
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "occam");
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(home, "Library", "Caches", "occam");
        }

        return Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? Path.Combine(xdg, "occam")
            : Path.Combine(home, ".cache", "occam");
    }

    private static string ReadCpuModel()
    {
        try
        {
            string? model = null, family = null, number = null;
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                string name = line[..colon].Trim();
                string value = line[(colon + 1)..].Trim();
                model ??= name == "model name" ? value : null;
                family ??= name == "cpu family" ? value : null;
                number ??= name == "model" ? value : null;
            }

            if (model is not null)
            {
                return family is null ? model : $"{model} (family {family} model {number})";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: the architecture and core count below stand in for the model.
        }

        return $"{RuntimeInformation.ProcessArchitecture} CPU, {Environment.ProcessorCount} cores";
    }
}

/// <summary>One calibration: the crossover density and the times it was fitted to (one pass, milliseconds).</summary>
/// <param name="Crossover">The largest density at which the sparse kernels are faster (0: never).</param>
/// <param name="DenseMilliseconds">One pass on the dense kernels.</param>
/// <param name="SparseLowMilliseconds">One pass on the sparse kernels at density 0.1.</param>
/// <param name="SparseHighMilliseconds">One pass on the sparse kernels at density 0.5.</param>
public sealed record CalibrationEntry(double Crossover, double DenseMilliseconds, double SparseLowMilliseconds, double SparseHighMilliseconds);

/// <summary>A cache file: the machine it was measured on and its calibrations.</summary>
internal sealed record CalibrationFile(string Machine, Dictionary<string, CalibrationEntry> Entries);

/// <summary>Source-generated JSON metadata of the calibration cache.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CalibrationFile))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;
