namespace Occam.Training;

/// <summary>Progress of a training run, reported after every batch and at the end of every epoch.</summary>
/// <param name="Method">The run's method name (as in its summary).</param>
/// <param name="Epoch">The current epoch, 1-based (0 for an evaluation-only run).</param>
/// <param name="TotalEpochs">The epoch budget.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="TotalBatches">Batches per epoch.</param>
/// <param name="TrainLoss">Mean training loss of the epoch so far.</param>
/// <param name="Record">The finished epoch's record when the epoch is complete, otherwise null.</param>
public readonly record struct TrainingProgress(string Method, int Epoch, int TotalEpochs, int Batch, int TotalBatches, double TrainLoss, EpochRecord? Record);
