using Occam.Tensors;

namespace Occam.Losses;

/// <summary>
/// A loss between one prediction per row and a real target, averaged over rows, with the gradient of that mean with
/// respect to the predictions.
/// </summary>
public interface IRegressionLoss
{
    /// <summary>Short name for records and messages, e.g. "mse" or "huber".</summary>
    string Name { get; }

    /// <summary>
    /// Returns the mean loss of <paramref name="predictions"/> (one value per row, e.g. [rows, 1]) against
    /// <paramref name="targets"/>. When <paramref name="perRowLoss"/> is not empty it receives each row's loss.
    /// </summary>
    float Forward(Tensor predictions, ReadOnlySpan<float> targets, Span<float> perRowLoss = default);

    /// <summary>Gradient of the last forward pass's mean loss with respect to the predictions (same shape).</summary>
    Tensor Backward();
}
