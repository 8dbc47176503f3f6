namespace Occam.Cli.Specs;

/// <summary>The data sets <c>--data</c> can name.</summary>
internal enum DataKind
{
    /// <summary>Fashion-MNIST IDX files (28×28 grey images, 10 classes).</summary>
    FashionMnist,

    /// <summary>MNIST IDX files (28×28 grey images, 10 classes).</summary>
    Mnist,

    /// <summary>CIFAR-10 binary batches (32×32 colour images, 10 classes).</summary>
    Cifar10,

    /// <summary>A tabular CSV with a header row and a label column.</summary>
    Csv,

    /// <summary>A plain-text corpus for character-level language modelling.</summary>
    Text,

    /// <summary>The 8×8 handwritten digits set shipped with Occam.</summary>
    Digits,
}
