namespace Occam.Cli.Engine;

/// <summary>Where one piece of long work stands.</summary>
/// <param name="Task">Which work (e.g. the method of a run in a comparison); one bar per distinct task.</param>
/// <param name="Completed">Work done, in the same unit as <paramref name="Total"/> (usually epochs, fractional within one).</param>
/// <param name="Total">Work in all.</param>
/// <param name="Status">A short line on the latest result (e.g. "epoch 3: held-out 0.331, density 36 %"), or null to keep the last.</param>
internal readonly record struct ProgressUpdate(string Task, double Completed, double Total, string? Status);
