namespace Occam.Cli.Engine;

/// <summary>
/// The production engine: the only class of the command line that calls the Occam library's loaders, models,
/// trainer, comparison and benchmarks. A method whose library part is not in this build throws
/// <see cref="FeatureUnavailableException"/>, which the command line reports as "occam: COMMAND is not available yet".
/// </summary>
internal sealed class LibraryEngine : IOccamEngine
{
    /// <inheritdoc />
    public void Train(TrainingPlan plan, string runDirectory, IProgressSink progress, CancellationToken cancellationToken) =>
        throw new FeatureUnavailableException("train");

    /// <inheritdoc />
    public void Compare(TrainingPlan plan, string comparisonDirectory, IProgressSink progress, CancellationToken cancellationToken) =>
        throw new FeatureUnavailableException("compare");

    /// <inheritdoc />
    public EvaluationResult Evaluate(EvaluationRequest request, IProgressSink progress, CancellationToken cancellationToken) =>
        throw new FeatureUnavailableException("eval");

    /// <inheritdoc />
    public PredictionTable Predict(string modelPath, string inputCsvPath, int threads, CancellationToken cancellationToken) =>
        throw new FeatureUnavailableException("predict");

    /// <inheritdoc />
    public IReadOnlyList<KernelScore> BenchmarkKernels(CancellationToken cancellationToken) =>
        throw new FeatureUnavailableException("bench kernels");
}
