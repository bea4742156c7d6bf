using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace AutoGrad.NN;

/// <summary>
/// The base of every layer and model: it owns parameters (leaf tensors that require gradients) and child modules,
/// each under a name, and maps an input to an output in <see cref="Forward"/> (PyTorch's <c>nn.Module</c>).
/// </summary>
/// <remarks>
/// <para>Parameters are named by their path through the children, joined with dots, in registration order:
/// <c>layers.0.weight</c>, <c>layers.0.bias</c>, <c>layers.2.weight</c>, …. Those names are the keys of
/// <see cref="NamedParameters"/>, of <see cref="LoadStateDict"/> and of saved weight files.</para>
/// <para>A subclass registers everything in its constructor with <see cref="RegisterParameter"/> and
/// <see cref="RegisterModule{TModule}"/>, then implements <see cref="Forward"/> with tensor ops.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1716", Justification = "PyTorch's name for it, the one its users look for.")]
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>Whether the module is in training mode (the default) rather than evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The total number of scalar parameters: the sum of every parameter's element count.</summary>
    public long ParameterCount => NamedParameters().Sum(p => (long)p.Value.ElementCount);

    /// <summary>Computes the module's output for <paramref name="input"/>, recording the ops for backward.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Every parameter with its dotted name, this module's own first, then each child's, in registration order. A
    /// tensor registered in several places (a shared layer, tied weights) appears once, under its first name, as in
    /// PyTorch, so optimizers and saved files see each parameter once.
    /// </summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (KeyValuePair<string, Tensor> parameter in AllNamedParameters())
        {
            if (seen.Add(parameter.Value))
            {
                yield return parameter;
            }
        }
    }

    /// <summary>Every parameter, in the order of <see cref="NamedParameters"/>: what an optimizer takes.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>The direct children with their names, in registration order.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>Sets training mode on this module and every descendant; returns this module.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach ((_, Module child) in _children)
        {
            child.Train(training);
        }

        return this;
    }

    /// <summary>Sets evaluation mode (<c>Train(false)</c>) on this module and every descendant; returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Sets every parameter's gradient to zero, or drops it (<see cref="Tensor.ZeroGrad"/>), ready for the next <see cref="Tensor.Backward"/>.</summary>
    /// <param name="setToNone">Drop the gradients instead of zeroing them, so that an optimizer leaves a parameter that takes no part in the next loss alone.</param>
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (Tensor parameter in Parameters())
        {
            parameter.ZeroGrad(setToNone);
        }
    }

    /// <summary>
    /// Copies <paramref name="state"/>'s tensors into the parameters of the same names (converting the element type
    /// if it differs), strictly: every parameter must be present with its exact shape, and no other name may appear.
    /// </summary>
    /// <remarks>Everything is checked before anything is copied, so a rejected state leaves the module unchanged.</remarks>
    /// <exception cref="ArgumentException">
    /// A name is missing or unexpected, a shape differs, or a tensor of the state or a parameter of this module was disposed;
    /// the message lists them all.
    /// </exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        List<KeyValuePair<string, Tensor>> parameters = [.. NamedParameters()];
        var problems = new List<string>();
        foreach ((string name, Tensor parameter) in parameters)
        {
            if (!state.TryGetValue(name, out Tensor? value) || value is null)
            {
                problems.Add($"missing \"{name}\" (shape {Shapes.Format(parameter.Shape)})");
            }
            else if (!value.Shape.SequenceEqual(parameter.Shape))
            {
                problems.Add($"\"{name}\" has shape {Shapes.Format(value.Shape)}, but the parameter has shape {Shapes.Format(parameter.Shape)}");
            }
            else if (value.IsDisposed)
            {
                problems.Add($"\"{name}\" (shape {Shapes.Format(value.Shape)}) was disposed");
            }

            if (parameter.IsDisposed)
            {
                // Checked here too: CopyFrom would throw only when it reached this parameter, after overwriting earlier ones.
                problems.Add($"the parameter \"{name}\" (shape {Shapes.Format(parameter.Shape)}) was disposed");
            }
        }

        var known = parameters.Select(p => p.Key).ToHashSet();
        problems.AddRange(state.Keys.Where(name => !known.Contains(name)).Select(name => $"unexpected \"{name}\""));
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"LoadStateDict: the state does not fit {GetType().Name}; nothing was loaded: {string.Join("; ", problems)}.", nameof(state));
        }

        using (Tensor.NoGrad())
        {
            foreach ((string name, Tensor parameter) in parameters)
            {
                parameter.CopyFrom(state[name]);
            }
        }
    }

    /// <summary>
    /// The architecture, one module per line, children indented under their parent with their names, in the
    /// style of PyTorch: <c>Linear(in: 2, out: 16, bias: true)</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Describe(text, indent: "");
        return text.ToString();
    }

    /// <summary>Registers a parameter under <paramref name="name"/>, marking it as requiring a gradient; returns it.</summary>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is already taken; or the tensor is not a leaf.</exception>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckNewName(name);
        if (!parameter.IsLeaf)
        {
            throw new ArgumentException($"RegisterParameter: \"{name}\" must be a leaf tensor (create it, or Detach it), not an op's result.", nameof(parameter));
        }

        if (parameter.IsDisposed)
        {
            throw TensorGuard.Disposed(parameter, nameof(RegisterParameter), $"parameter \"{name}\"");
        }

        parameter.RequireGrad();
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; returns it.</summary>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is already taken; or the child is this module or contains it.</exception>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName(name);
        if (ReferenceEquals(module, this))
        {
            throw new ArgumentException($"RegisterModule: a module cannot be its own child (\"{name}\").", nameof(module));
        }

        if (module.Contains(this))
        {
            // A cycle would make every walk of the tree (NamedParameters, ToString, Train) recurse without end.
            throw new ArgumentException(
                $"RegisterModule: {module.GetType().Name} \"{name}\" already contains this {GetType().Name}; modules must form a tree, not a cycle.",
                nameof(module));
        }

        _children.Add(new(name, module));
        return module;
    }

    /// <summary>True when <paramref name="module"/> is this module or one of its descendants.</summary>
    private bool Contains(Module module)
        => ReferenceEquals(module, this) || _children.Any(child => child.Value.Contains(module));

    /// <summary>Every registration of a parameter under its dotted name, repeats included.</summary>
    private IEnumerable<KeyValuePair<string, Tensor>> AllNamedParameters()
    {
        foreach (KeyValuePair<string, Tensor> parameter in _parameters)
        {
            yield return parameter;
        }

        foreach ((string childName, Module child) in _children)
        {
            foreach ((string name, Tensor parameter) in child.AllNamedParameters())
            {
                yield return new($"{childName}.{name}", parameter);
            }
        }
    }

    /// <summary>The settings shown between the parentheses of <see cref="ToString"/>, such as <c>in: 2, out: 16</c>.</summary>
    protected virtual string DescribeSettings() => "";

    private void Describe(StringBuilder text, string indent)
    {
        text.Append(GetType().Name).Append('(').Append(DescribeSettings());
        if (_children.Count == 0)
        {
            text.Append(')');
            return;
        }

        text.AppendLine();
        foreach ((string name, Module child) in _children)
        {
            text.Append(indent).Append("  (").Append(name).Append("): ");
            child.Describe(text, indent + "  ");
            text.AppendLine();
        }

        text.Append(indent).Append(')');
    }

    private void CheckNewName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.'))
        {
            throw new ArgumentException($"\"{name}\" contains a dot; dots separate the parts of a parameter's full name.", nameof(name));
        }

        if (_parameters.Any(p => p.Key == name) || _children.Any(c => c.Key == name))
        {
            throw new ArgumentException($"{GetType().Name} already has a parameter or child named \"{name}\".", nameof(name));
        }
    }
}
