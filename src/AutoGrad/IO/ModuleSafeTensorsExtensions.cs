using AutoGrad.NN;

namespace AutoGrad.IO;

/// <summary>Saves a <see cref="Module"/>'s parameters to a safetensors file and loads them back, by dotted name.</summary>
public static class ModuleSafeTensorsExtensions
{
    /// <summary>
    /// Writes every parameter of <paramref name="module"/> under its dotted name (<c>layers.0.weight</c>, …) to a
    /// safetensors file, as PyTorch's <c>safetensors.torch.save_file(model.state_dict(), path)</c> does.
    /// </summary>
    /// <remarks>The file is replaced atomically; see <see cref="SafeTensors.Save(string, IEnumerable{KeyValuePair{string, Tensor}}, IReadOnlyDictionary{string, string}?)"/>.</remarks>
    /// <param name="module">The model whose parameters are saved.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="metadata">Optional string-to-string metadata, such as <c>{"format": "pt"}</c>.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void SaveSafeTensors(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.NamedParameters(), metadata);
    }

    /// <summary>
    /// Replaces the parameters of <paramref name="module"/> with the tensors of a safetensors file, matched by dotted
    /// name: the file must hold exactly the module's parameters, each with its shape (a dtype that differs is converted).
    /// </summary>
    /// <remarks>
    /// The file is read and validated in full, and then checked against the module, before any parameter changes:
    /// a malformed file or one that does not fit the module leaves the module exactly as it was.
    /// </remarks>
    /// <param name="module">The model whose parameters are replaced.</param>
    /// <param name="path">The file to read.</param>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file of F32/F64 tensors.</exception>
    /// <exception cref="ArgumentException">A parameter is missing from the file, the file holds a tensor the module does not
    /// have, or a shape differs; the message lists them all.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static void LoadSafeTensors(this Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensorsContent content = SafeTensors.Load(path);
        try
        {
            module.LoadStateDict(content.Tensors);
        }
        catch (ArgumentException mismatch)
        {
            throw new ArgumentException($"LoadSafeTensors: '{path}' does not fit the module: {mismatch.Message}", nameof(path), mismatch);
        }
    }
}
