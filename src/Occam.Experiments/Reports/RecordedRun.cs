using Occam.Data;

namespace Occam.Reports;

/// <summary>A finished run as read back from its directory (<c>summary.json</c> and <c>epochs.jsonl</c>).</summary>
/// <param name="Name">Display name: the method, or the directory name when several runs share a method.</param>
/// <param name="Method">The training method recorded in the summary.</param>
/// <param name="Directory">The run directory.</param>
/// <param name="Epochs">Every epoch, in order.</param>
/// <param name="Best">The selected epoch (by the method's own rule: see the report's "Selected epochs").</param>
/// <param name="TotalParams">All parameters of the model.</param>
/// <param name="TotalTrainSeconds">Total training wall time.</param>
/// <param name="TotalTrainFlopsSparse">Total training FLOPs counting live weights only.</param>
/// <param name="InferenceFlops">Inference FLOPs per example of the selected model.</param>
/// <param name="Task">Classification or regression (summary field <c>task</c>, absent for classification).</param>
/// <param name="Loss">Regression: the loss trained and selected on, e.g. "mse" or "huber" (summary field <c>loss</c>); null for classification.</param>
public sealed record RecordedRun(
    string Name,
    string Method,
    string Directory,
    IReadOnlyList<RecordedEpoch> Epochs,
    RecordedEpoch Best,
    long TotalParams,
    double TotalTrainSeconds,
    double TotalTrainFlopsSparse,
    double InferenceFlops,
    LearningTask Task = LearningTask.Classification,
    string? Loss = null);
