using System.Collections.ObjectModel;

namespace AutoGrad.IO;

/// <summary>The tensors and metadata of a safetensors file, as <see cref="SafeTensors.Load(string)"/> returns them.</summary>
public sealed class SafeTensorsContent
{
    internal SafeTensorsContent(OrderedDictionary<string, Tensor> tensors, OrderedDictionary<string, string> metadata)
    {
        Tensors = new ReadOnlyDictionary<string, Tensor>(tensors);
        Metadata = new ReadOnlyDictionary<string, string>(metadata);
    }

    /// <summary>
    /// The tensors by name, enumerated in file order: by the position of their data in the file (for
    /// empty tensors at the same position, in header order). Each is a new tensor that does not require a gradient.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The string-to-string <c>__metadata__</c> of the header, in header order; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
