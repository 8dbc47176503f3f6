using Occam.Pruning;

namespace Occam.Benchmarks;

/// <summary>
/// Settings of <see cref="TabularBenchmark"/>. Defaults are issue 9's reference protocol: seeds 0–4, a stratified
/// 80/20 train/test split per seed, an MLP with two hidden layers of 256 ReLU units, Adam at 1e-3, batch 32, 10 % of
/// the training part held out, 30 epochs.
/// </summary>
public sealed record TabularBenchmarkOptions
{
    /// <summary>
    /// Classification (stratified splits, log-loss and accuracy) or regression (plain seeded splits, targets
    /// standardised on the training part, RMSE and R² in original units; the networks have one output).
    /// </summary>
    public Occam.Data.LearningTask Task { get; init; } = Occam.Data.LearningTask.Classification;

    /// <summary>Seeds; each gives its own test split, held-out split, initialisation and batch order.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2, 3, 4];

    /// <summary>Epoch budget of every trained method.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>
    /// Methods to run, by <see cref="PruningMethods"/> name ("dense", "occam", "occam-paper", ...), plus "posthoc" and
    /// "posthoc-finetune": the dense model pruned after training to the selected density of "occam" (needs "dense" and
    /// "occam"), without and with one fine-tuning epoch. "gmp" prunes gradually to the selected prunable density of
    /// "occam" on the same seed (needs "occam" before it). On a seed where "occam" kept every weight these methods
    /// would only redo the dense run: they are not run, and their results are "dense"'s, marked
    /// <see cref="TabularSeedResult.SameAsDense"/> (for "gmp" when "dense" comes before it).
    /// </summary>
    public IReadOnlyList<string> Methods { get; init; } = [PruningMethods.Dense.Name, PruningMethods.OccamPaper.Name, PruningMethods.Occam.Name, PruningMethods.Posthoc.Name];

    /// <summary>Hidden layer widths of the MLP.</summary>
    public IReadOnlyList<int> HiddenUnits { get; init; } = [256, 256];

    /// <summary>Share of rows in the test split.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Share of the training part held out for selection and pruning decisions.</summary>
    public double HoldoutFraction { get; init; } = 0.1;

    /// <summary>Adam's learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Kernels of the networks' layers: <see cref="Occam.Layers.KernelPath.Automatic"/> chooses by this CPU's calibration;
    /// <see cref="Occam.Layers.KernelPath.Dense"/> gives the same figures on every machine and in every process.
    /// </summary>
    public Occam.Layers.KernelPath Kernels { get; init; } = Occam.Layers.KernelPath.Automatic;

    /// <summary>Settings of the named methods.</summary>
    public PruningMethodOptions MethodOptions { get; init; } = new();

    /// <summary>
    /// Creates the schedule of a method name; null uses <see cref="PruningMethods.Find"/>'s schedule with
    /// <see cref="MethodOptions"/>. Lets a caller measure a variant under a name of its own.
    /// </summary>
    public Func<string, IPruningSchedule>? ScheduleFactory { get; init; }

    /// <summary>Receives one message per finished run (method and seed); null for none.</summary>
    public IProgress<TabularSeedResult>? Progress { get; init; }
}
