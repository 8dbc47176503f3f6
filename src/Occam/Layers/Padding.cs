namespace Occam.Layers;

/// <summary>How a convolution treats the image border (Keras's <c>padding</c> argument).</summary>
public enum Padding
{
    /// <summary>No padding: the output shrinks by kernel size − 1 in each spatial dimension.</summary>
    Valid,

    /// <summary>
    /// Zero padding so the output has the input's height and width. With an even kernel the extra row and
    /// column of padding go to the bottom and right, as in TensorFlow.
    /// </summary>
    Same,
}
