using System.Collections;

namespace AutoGrad.NN;

/// <summary>
/// A chain of modules applied in order, each to the previous one's output (PyTorch's <c>nn.Sequential</c>); the
/// children are named by their position, so parameters are named <c>0.weight</c>, <c>2.bias</c>, ….
/// </summary>
public sealed class Sequential : Module, IReadOnlyList<Module>
{
    private readonly List<Module> _modules = [];

    /// <summary>Creates the chain of <paramref name="modules"/>, first applied first.</summary>
    public Sequential(params IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (Module module in modules)
        {
            Append(module);
        }
    }

    /// <summary>The number of modules in the chain.</summary>
    public int Count => _modules.Count;

    /// <summary>The module at <paramref name="index"/> in the chain.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    public Module this[int index] => (uint)index < (uint)_modules.Count
        ? _modules[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Sequential: index {index} is outside a chain of {_modules.Count} modules.");

    /// <summary>Adds <paramref name="module"/> at the end of the chain; returns this chain.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> is this chain or contains it.</exception>
    public Sequential Append(Module module)
    {
        RegisterModule(_modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _modules.Add(module);
        return this;
    }

    /// <summary>Applies every module in order: <c>fₙ(… f₂(f₁(x)))</c>; an empty chain returns its input.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor output = input;
        foreach (Module module in _modules)
        {
            output = module.Forward(output);
        }

        return output;
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => _modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
