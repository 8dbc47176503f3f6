namespace Occam.Cli.Specs;

/// <summary>What shape of problem a data set poses; it decides the default model and which models fit.</summary>
internal enum DataFamily
{
    /// <summary>Image classification: MLPs and CNNs fit.</summary>
    Images,

    /// <summary>Tabular classification: MLPs fit.</summary>
    Tabular,

    /// <summary>Next-character prediction: GPTs fit.</summary>
    Text,
}
