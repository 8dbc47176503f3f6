using Occam.Data;
using Occam.Training;

namespace Occam.Benchmarks;

/// <summary>
/// Budgets and data locations of <see cref="PaperBenchmark"/>. <see cref="Full"/> is the reference run (SPEC §4, sized
/// to finish within 90 minutes on 2 cores); <see cref="Quick"/> runs the same experiments with small budgets.
/// </summary>
public sealed record PaperBenchmarkOptions
{
    /// <summary>True for the small-budget run (<see cref="Quick"/>); recorded in the report.</summary>
    public bool IsQuick { get; init; }

    /// <summary>Seed of every run: held-out split, initialisation, batch order, text windows.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Seeds to repeat each experiment with, reported as the mean and spread per method; null runs the networks on
    /// <see cref="Seed"/> alone and the tabular suite on seeds 0..<see cref="TabularSeeds"/>−1.
    /// </summary>
    public IReadOnlyList<int>? Seeds { get; init; }

    /// <summary>The experiments to run, among <see cref="PaperBenchmark.Experiments"/>; null for all four.</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Directory of the Fashion-MNIST IDX files.</summary>
    public string FashionMnistDirectory { get; init; } = FashionMnist.DefaultDirectory;

    /// <summary>Directory of the tabular CSV files.</summary>
    public string TabularDirectory { get; init; } = Path.Combine("data", "tabular");

    /// <summary>The text corpus of the GPT experiment.</summary>
    public string TextPath { get; init; } = Path.Combine("data", "text", "kjv.txt.gz");

    /// <summary>
    /// The GPT reads only the corpus's first this many characters (<see cref="TextCorpus.Load"/>), so that a model large
    /// for its data overfits within the budget; null reads it all.
    /// </summary>
    public int? GptTextCharacters { get; init; } = 300_000;

    /// <summary>Fashion-MNIST training images used (the first ones); null for all 60 000.</summary>
    public int? ImageTrainExamples { get; init; }

    /// <summary>Fashion-MNIST test images used (the first ones); null for all 10 000.</summary>
    public int? ImageTestExamples { get; init; }

    /// <summary>Hidden units of the dense reference model (784 → H ReLU → dropout → 10).</summary>
    public int MlpHiddenUnits { get; init; } = 1024;

    /// <summary>Dropout of the dense reference model.</summary>
    public double MlpDropout { get; init; } = 0.2;

    /// <summary>Epoch budget of the dense reference model's runs.</summary>
    public int MlpEpochs { get; init; } = 12;

    /// <summary>Also run the paper's rule (<c>occam-paper</c>) on the dense reference model, SPEC §4's sanity anchor.</summary>
    public bool MlpIncludesPaperRule { get; init; } = true;

    /// <summary>The CNN's N (conv3×3(N) → pool → conv3×3(2N) → pool → conv3×3(2N) → dense(2N) → 10).</summary>
    public int CnnChannels { get; init; } = 32;

    /// <summary>Epoch budget of the CNN's runs.</summary>
    public int CnnEpochs { get; init; } = 12;

    /// <summary>CSV file names (in <see cref="TabularDirectory"/>) of the tabular suite; null for every CSV there.</summary>
    public IReadOnlyList<string>? TabularSets { get; init; }

    /// <summary>Seeds 0..K−1 of the tabular suite.</summary>
    public int TabularSeeds { get; init; } = 5;

    /// <summary>Epoch budget of the tabular MLPs.</summary>
    public int TabularEpochs { get; init; } = 30;

    /// <summary>Transformer blocks of the GPT.</summary>
    public int GptLayers { get; init; } = 2;

    /// <summary>Attention heads of the GPT.</summary>
    public int GptHeads { get; init; } = 4;

    /// <summary>Embedding width of the GPT.</summary>
    public int GptEmbedding { get; init; } = 128;

    /// <summary>Context length (characters) of the GPT.</summary>
    public int GptContext { get; init; } = 64;

    /// <summary>Windows drawn from the corpus's training part: training windows before its held-out tail, held-out windows inside it.</summary>
    public int GptTrainWindows { get; init; } = 8192;

    /// <summary>Windows drawn from the corpus's validation tail, the test set.</summary>
    public int GptTestWindows { get; init; } = 1024;

    /// <summary>Epoch budget of the GPT's runs.</summary>
    public int GptEpochs { get; init; } = 16;

    /// <summary>
    /// Step cadences (<see cref="TrainerOptions.PruneEvery"/>) at which the GPT also runs <c>occam</c> and
    /// <c>occam-paper</c>, beside their once-per-epoch runs; their rows are named as <see cref="PaperMethod.Name"/> says.
    /// </summary>
    public IReadOnlyList<int> GptPruneEvery { get; init; } = [150];

    /// <summary>Receives every network run's progress; null for none.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Receives one message per finished tabular run; null for none.</summary>
    public IProgress<TabularSeedResult>? TabularProgress { get; init; }

    /// <summary>
    /// The reference run: SPEC §4's dense model for its 12 epochs, the CNN with N = 32 for 12 epochs, the tabular suite
    /// (10 sets, 5 seeds, 30 epochs), a 2-block GPT (4 heads, embedding 128, context 64) on 8 192 windows of the King
    /// James Bible's first 300 000 characters for 16 epochs, where dense GD's held-out loss is lowest near epoch 8
    /// (issue 21), with occam and occam-paper also deciding every 150 steps (231 steps make an epoch).
    /// </summary>
    /// <remarks>
    /// Sized from per-epoch costs on the project's 2-core machine, measured while it was shared, so from CPU time (one
    /// epoch each, startup subtracted) with wall time taken as 0.75–1× CPU time: MLP 3.1 s (its wall time on a quiet
    /// machine), CNN N = 32 28–38 s. A network experiment trains 3 × E + 1 epochs (dense, Occam, gmp, one fine-tuning
    /// epoch; the MLP also the paper's rule), so 3 + 17–23 + 3 (tabular) minutes plus about 10 % for evaluation. The GPT
    /// trains up to 6 × 16 + 1 epochs (also occam-paper and the two cadence runs); its one-seed run on 2026-12-07 took
    /// 44.6 minutes wall and 31 minutes of CPU on cores shared with other runs (docs/RESULTS.md, section 4), so the
    /// whole reference run is about an hour.
    /// </remarks>
    public static PaperBenchmarkOptions Full { get; } = new();

    /// <summary>
    /// The same experiments with small budgets, for a smoke test: 4 000 training and 1 000 test images, the reference
    /// MLP for 5 epochs, the CNN with N = 4 for 3 epochs, three small tabular sets with one seed and 10 epochs, a
    /// one-block GPT on 512 windows for 3 epochs (45 steps), its cadence variants deciding every 10 steps.
    /// </summary>
    public static PaperBenchmarkOptions Quick { get; } = new()
    {
        IsQuick = true,
        ImageTrainExamples = 4000,
        ImageTestExamples = 1000,
        MlpEpochs = 5,
        CnnChannels = 4,
        CnnEpochs = 3,
        TabularSets = ["iris.csv", "wine.csv", "glass.csv"],
        TabularSeeds = 1,
        TabularEpochs = 10,
        GptLayers = 1,
        GptHeads = 2,
        GptEmbedding = 32,
        GptContext = 32,
        GptTrainWindows = 512,
        GptTestWindows = 128,
        GptEpochs = 3,
        GptPruneEvery = [10],
    };
}
