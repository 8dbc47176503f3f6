using Occam.Tensors;

namespace Occam.Layers;

/// <summary>A layer whose prunable weight can run on dense or sparse kernels (<see cref="Dense"/>, <see cref="Conv2D"/>).</summary>
internal interface ISparseKernelLayer
{
    /// <summary>The prunable weight whose mask decides the choice.</summary>
    Parameter Weight { get; }

    /// <summary>
    /// What makes two layers cost the same on either path (kind, shapes, whether the input gradient is computed):
    /// the calibration's key, without the batch size.
    /// </summary>
    string CalibrationShape { get; }

    /// <summary>
    /// The batch the calibration times for a call with <paramref name="rows"/> examples: batches that run the same
    /// kernels at proportional cost share one calibration.
    /// </summary>
    int CalibrationRows(int rows);

    /// <summary>A new layer configured like this one and built for the same input shape, running <paramref name="path"/>.</summary>
    Layer CreateTwin(KernelPath path, Random random);
}
