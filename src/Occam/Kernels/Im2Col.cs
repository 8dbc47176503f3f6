namespace Occam.Kernels;

/// <summary>
/// The im2col / col2im pair that turns a stride-1 convolution of one image into a matrix product.
/// An image is [channels, height, width]; its column matrix is [channels·k·k, outHeight·outWidth] with
/// row (c·k + ki)·k + kj holding, for every output position (oy, ox), the input pixel
/// x[c, oy + ki − padTop, ox + kj − padLeft], or zero where that falls in the padding.
/// The row order matches a weight stored [filters, channels, k, k], so y = W·columns.
/// <see cref="Backward"/> (col2im) is the adjoint of <see cref="Forward"/> (im2col): it sums each column entry back onto its pixel.
/// </summary>
internal static class Im2Col
{
    /// <summary>im2col: writes the column matrix of <paramref name="image"/> into <paramref name="columns"/>.</summary>
    public static void Forward(ReadOnlySpan<float> image, int channels, int height, int width, int kernelSize,
        int padTop, int padLeft, int outHeight, int outWidth, Span<float> columns)
    {
        CheckSizes(image.Length, columns.Length, channels, height, width, kernelSize, outHeight, outWidth);
        int outArea = outHeight * outWidth;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * height * width, height * width);
            for (int ki = 0; ki < kernelSize; ki++)
            {
                for (int kj = 0; kj < kernelSize; kj++, row++)
                {
                    var columnRow = columns.Slice(row * outArea, outArea);
                    var (first, end) = ValidRange(kj - padLeft, width, outWidth);
                    for (int oy = 0; oy < outHeight; oy++)
                    {
                        var target = columnRow.Slice(oy * outWidth, outWidth);
                        int iy = oy + ki - padTop;
                        if ((uint)iy >= (uint)height || first >= end)
                        {
                            target.Clear();
                            continue;
                        }

                        target[..first].Clear();
                        plane.Slice(iy * width + first + kj - padLeft, end - first).CopyTo(target[first..end]);
                        target[end..].Clear();
                    }
                }
            }
        }
    }

    /// <summary>
    /// col2im: overwrites <paramref name="image"/> with the adjoint of <see cref="Forward"/> applied to <paramref name="columns"/>:
    /// every pixel receives the sum of the column entries that were copied from it.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> columns, int channels, int height, int width, int kernelSize,
        int padTop, int padLeft, int outHeight, int outWidth, Span<float> image)
    {
        CheckSizes(image.Length, columns.Length, channels, height, width, kernelSize, outHeight, outWidth);
        image[..(channels * height * width)].Clear();
        int outArea = outHeight * outWidth;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * height * width, height * width);
            for (int ki = 0; ki < kernelSize; ki++)
            {
                for (int kj = 0; kj < kernelSize; kj++, row++)
                {
                    var columnRow = columns.Slice(row * outArea, outArea);
                    var (first, end) = ValidRange(kj - padLeft, width, outWidth);
                    if (first >= end)
                    {
                        continue;
                    }

                    for (int oy = 0; oy < outHeight; oy++)
                    {
                        int iy = oy + ki - padTop;
                        if ((uint)iy >= (uint)height)
                        {
                            continue;
                        }

                        var pixels = plane.Slice(iy * width + first + kj - padLeft, end - first);
                        TensorPrimitives.Add(pixels, columnRow.Slice(oy * outWidth + first, end - first), pixels);
                    }
                }
            }
        }
    }

    /// <summary>The output columns [first, end) whose input column ox + <paramref name="offset"/> lies inside the image.</summary>
    private static (int First, int End) ValidRange(int offset, int width, int outWidth)
    {
        int first = Math.Max(0, -offset);
        int end = Math.Min(outWidth, width - offset);
        return (first, Math.Max(first, end));
    }

    private static void CheckSizes(int imageLength, int columnsLength, int channels, int height, int width,
        int kernelSize, int outHeight, int outWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        if (imageLength < channels * height * width)
        {
            throw new ArgumentException($"The image needs {channels * height * width} elements, got {imageLength}.");
        }

        long needed = (long)channels * kernelSize * kernelSize * outHeight * outWidth;
        if (columnsLength < needed)
        {
            throw new ArgumentException($"The column matrix needs {needed} elements, got {columnsLength}.");
        }
    }
}
