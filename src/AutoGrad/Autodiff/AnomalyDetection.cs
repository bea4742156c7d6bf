using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace AutoGrad.Autodiff;

/// <summary>
/// The state of <see cref="Tensor.DetectAnomaly"/>: which threads check for NaN and ±∞, where in the user's code each op
/// recorded under it was called, and the messages of the <see cref="AnomalyException"/> it throws.
/// </summary>
/// <remarks>
/// When no thread detects anomalies, an op pays one read of a process-wide counter: no thread-static access, no field in
/// its record. A record always carries its op's name (<see cref="TapeEntry.Op"/>); the call sites of records live in a weak
/// table on the side, so a record costs the same bytes either way.
/// </remarks>
internal static class AnomalyDetection
{
    private static readonly StrongBox<int> ThreadsDetecting = new();

    // Where each record made under detection was called from; weak, so the table dies with the graph.
    private static readonly ConditionalWeakTable<TapeEntry, OpOrigin> Origins = [];

    // Reading a source line from the symbols costs tens of microseconds; a training loop records the same few call
    // sites every step, so each code location is resolved once.
    private static readonly ConcurrentDictionary<(MethodBase Method, int Offset), CallSite> CallSites = new();

    private static readonly Dictionary<string, string> OperatorNames = new()
    {
        ["op_Addition"] = "operator +",
        ["op_Subtraction"] = "operator −",
        ["op_Multiply"] = "operator *",
        ["op_Division"] = "operator /",
        ["op_UnaryNegation"] = "unary operator −",
    };

    private static readonly Assembly Library = typeof(Tensor).Assembly;

    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static ScopeStack? t_scopes;

    [ThreadStatic]
    private static bool t_inBackward;

    /// <summary>True when some thread detects anomalies: the one check an op makes when none does.</summary>
    public static bool IsOnAnyThread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref ThreadsDetecting.Value) != 0;
    }

    /// <summary>True inside a <see cref="Tensor.DetectAnomaly"/> scope on this thread.</summary>
    public static bool IsEnabled => t_depth > 0;

    /// <summary>
    /// Set while a Backward walk runs its rules: the ops a rule uses inside are not checked as forward results, since the
    /// walk checks what the rule produced and names the op it belongs to.
    /// </summary>
    public static bool InBackward
    {
        get => t_inBackward;
        set => t_inBackward = value;
    }

    /// <summary>Begins detection on this thread; returns the new scope, for <see cref="Exit"/>.</summary>
    public static ScopeStack.Token Enter()
    {
        ScopeStack scopes = t_scopes ??= new ScopeStack();
        ScopeStack.Token scope = scopes.Push();
        t_depth = scopes.Count;
        if (t_depth == 1)
        {
            Interlocked.Increment(ref ThreadsDetecting.Value);
        }

        return scope;
    }

    /// <summary>Ends <paramref name="scope"/>, and any left open inside it; nothing when it has ended already.</summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the scope's, with <paramref name="wrongThread"/> as message.</exception>
    public static void Exit(ScopeStack.Token scope, string wrongThread)
    {
        if (scope.End(wrongThread))
        {
            t_depth = t_scopes!.Count;
            if (t_depth == 0)
            {
                Interlocked.Decrement(ref ThreadsDetecting.Value);
            }
        }
    }

    /// <summary>Notes the user's call site of a record made while this thread detects anomalies.</summary>
    public static void NoteCallSite(TapeEntry entry)
    {
        if (IsEnabled)
        {
            (CallSite? site, MethodBase? via) = FindCallSite();
            Origins.AddOrUpdate(entry, new OpOrigin(site, via));
        }
    }

    /// <summary>The call site of <paramref name="entry"/>, or null when it was recorded without detection.</summary>
    public static OpOrigin? OriginOf(TapeEntry entry) => Origins.TryGetValue(entry, out OpOrigin? origin) ? origin : null;

    /// <summary>Throws when this thread detects anomalies and <paramref name="result"/>, just computed by <paramref name="op"/>, is not finite.</summary>
    public static void CheckForward(string op, Tensor result, Tensor a, Tensor? b = null, Tensor? c = null)
    {
        if (!IsEnabled || t_inBackward || FirstNonFinite(result) is not int index)
        {
            return;
        }

        double value = ValueAt(result, index);
        (CallSite? site, MethodBase? via) = FindCallSite();
        var message = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Anomaly detection: {op} produced {Describe(value)} at index {FormatIndex(index, result.Shape)} of its result of shape {Shapes.Format(result.Shape)}");
        AppendSite(message, site, via, op, "; called");
        message.Append('.');
        AppendInputs(message, op, [a, b, c]);
        throw new AnomalyException(message.ToString(), value, op, inBackward: false, site?.File, site?.Line ?? 0, result.Shape.ToArray(), index);
    }

    /// <summary>
    /// Throws when the gradient of input <paramref name="inputIndex"/> of <paramref name="entry"/> is not finite after its
    /// rule ran: the rule made it so, since every gradient the rule read was checked before.
    /// </summary>
    public static void CheckBackward(TapeEntry entry, int inputIndex, Tensor input, Tensor gradient)
    {
        if (FirstNonFinite(gradient) is not int index)
        {
            return;
        }

        double value = ValueAt(gradient, index);
        OpOrigin? origin = OriginOf(entry);
        string op = entry.Op;
        var message = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Anomaly detection: the backward rule of {op}");
        if (origin is null)
        {
            message.Append(" (recorded outside DetectAnomaly, so its source line is unknown: begin the scope before the forward pass)");
        }
        else
        {
            AppendSite(message, origin.Site, origin.Via, op, ", recorded");
        }

        message.Append(CultureInfo.InvariantCulture, $", produced {Describe(value)} at index {FormatIndex(index, gradient.Shape)} of the gradient of its input {inputIndex} (shape {Shapes.Format(gradient.Shape)})");
        if (!input.IsDisposed)
        {
            message.Append(CultureInfo.InvariantCulture, $", where that input is {Describe(ValueAt(input, index))}");
        }

        message.Append(". The gradient flowing into the op was finite, so its derivative is undefined or overflows there. No gradient was changed.");
        throw new AnomalyException(message.ToString(), value, op, inBackward: true, origin?.Site?.File, origin?.Site?.Line ?? 0, gradient.Shape.ToArray(), index);
    }

    /// <summary>Throws when a gradient that enters a walk (the seed, or a leaf's earlier sum) is not finite.</summary>
    public static void CheckIncoming(Tensor gradient, string what)
    {
        if (FirstNonFinite(gradient) is not int index)
        {
            return;
        }

        double value = ValueAt(gradient, index);
        throw new AnomalyException(
            string.Create(CultureInfo.InvariantCulture, $"Anomaly detection: Backward: {what} of shape {Shapes.Format(gradient.Shape)} holds {Describe(value)} at index {FormatIndex(index, gradient.Shape)}. No gradient was changed."),
            value,
            nameof(Tensor.Backward),
            inBackward: true,
            sourceFile: null,
            sourceLine: 0,
            gradient.Shape.ToArray(),
            index);
    }

    /// <summary>The row-major index of the first NaN, else of the first ±∞, else null.</summary>
    private static int? FirstNonFinite(Tensor tensor) => tensor.ElementCount == 0 ? null : tensor.DType == DType.Float32
        ? FirstNonFinite(tensor.AsReadOnlySpan<float>())
        : FirstNonFinite(tensor.AsReadOnlySpan<double>());

    private static int? FirstNonFinite<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T>
    {
        // One vectorized pass: the index of the largest magnitude is that of the first NaN when there is one, else that
        // of an infinity when there is one; of −∞ and +∞ it prefers +∞, so look for an earlier −∞.
        int index = TensorPrimitives.IndexOfMaxMagnitude(values);
        T value = values[index];
        if (T.IsFinite(value))
        {
            return null;
        }

        int opposite = T.IsNaN(value) ? -1 : values[..index].IndexOf(-value);
        return opposite >= 0 ? opposite : index;
    }

    private static double ValueAt(Tensor tensor, int index) => tensor.DType == DType.Float32
        ? tensor.AsReadOnlySpan<float>()[index]
        : tensor.AsReadOnlySpan<double>()[index];

    private static void AppendInputs(StringBuilder message, string op, Tensor?[] inputs)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is { IsDisposed: false } input && FirstNonFinite(input) is int bad)
            {
                message.Append(CultureInfo.InvariantCulture, $" Its input {i} (shape {Shapes.Format(input.Shape)}) already held {Describe(ValueAt(input, bad))} at index {FormatIndex(bad, input.Shape)}: ");
                message.Append(CultureInfo.InvariantCulture, $"the value came in from data, a parameter, or an op run outside DetectAnomaly, not from {op}.");
                return;
            }
        }

        message.Append(CultureInfo.InvariantCulture, $" Its inputs were finite, so {op} overflowed or was undefined there.");
    }

    private static void AppendSite(StringBuilder message, CallSite? site, MethodBase? via, string op, string verb)
    {
        message.Append(verb);
        if (via is not null && NameOf(via) is string viaName && viaName != $"Tensor.{op}")
        {
            message.Append(" through ").Append(viaName);
        }

        if (site is null)
        {
            message.Append(" from code the stack trace does not show");
            return;
        }

        message.Append(" in ").Append(site.Method);
        if (site.File is not null)
        {
            message.Append(" at ").Append(site.File).Append(":line ").Append(site.Line.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// The first frame of the stack outside AutoGrad, which is the user's code that called the op (directly, through an
    /// operator or through a module); and the last AutoGrad method on the way there, the one the user called.
    /// </summary>
    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026",
        Justification = "The method of a frame only tells AutoGrad's frames from the caller's and keys a cache; where trimming removed it, the frame is passed over.")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (CallSite? Site, MethodBase? Via) FindCallSite()
    {
        var trace = new StackTrace(1, fNeedFileInfo: false);
        MethodBase? via = null;
        for (int i = 0; i < trace.FrameCount; i++)
        {
            StackFrame frame = trace.GetFrame(i)!;
            MethodBase? method = frame.GetMethod();
            if (method is null)
            {
                continue;
            }

            if (method.DeclaringType?.Assembly == Library)
            {
                via = method;
                continue;
            }

            // The call site of one code location is always the same; the AutoGrad method it reaches may not be (a
            // virtual Forward), so only the former is cached.
            var key = (method, frame.GetILOffset());
            if (!CallSites.TryGetValue(key, out CallSite? site))
            {
                // The same skip as the trace above, so frame i is the same frame, now with its source line.
                StackFrame resolved = new StackTrace(1, fNeedFileInfo: true).GetFrame(i)!;
                site = new CallSite(NameOf(method), resolved.GetFileName(), resolved.GetFileLineNumber());
                CallSites.TryAdd(key, site);
            }

            return (site, via);
        }

        return (null, via);
    }

    /// <summary><c>Type.Method</c>, naming a lambda or local function after the code that holds it, and an operator by its symbol.</summary>
    private static string NameOf(MethodBase method)
    {
        Type? type = method.DeclaringType;
        while (type is { DeclaringType: not null } && type.Name.StartsWith('<'))
        {
            type = type.DeclaringType; // a closure class: name the class the code was written in
        }

        if (OperatorNames.TryGetValue(method.Name, out string? symbol))
        {
            return symbol;
        }

        string name = ReadableName(method.Name);
        return name.StartsWith("the ", StringComparison.Ordinal) ? name : $"{type?.Name}.{name}";
    }

    /// <summary>A compiler-generated method name, as the source code names it: <c>&lt;Main&gt;b__0_0</c> is a lambda in Main.</summary>
    private static string ReadableName(string name)
    {
        if (name == "<Main>$")
        {
            return "the top-level statements";
        }

        int localFunction = name.IndexOf(">g__", StringComparison.Ordinal);
        if (localFunction > 0 && name.IndexOf('|', localFunction) is int bar and > 0)
        {
            return name[(localFunction + 4)..bar];
        }

        int end = name.LastIndexOf('>');
        return name.StartsWith('<') && end > 1 ? $"{ReadableName(name[1..end])} (a lambda)" : name;
    }

    private static string Describe(double value) => value switch
    {
        double.PositiveInfinity => "+∞",
        double.NegativeInfinity => "−∞",
        _ => value.ToString("G6", CultureInfo.InvariantCulture),
    };

    private static int[] Unravel(int flat, ReadOnlySpan<int> shape)
    {
        var index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }

        return index;
    }

    private static string FormatIndex(int flat, ReadOnlySpan<int> shape) => Shapes.Format(Unravel(flat, shape));
}

/// <summary>Where in the user's code an op was called.</summary>
/// <param name="Method">The user's method, as <c>Type.Method</c>.</param>
/// <param name="File">Its source file, when symbols are present.</param>
/// <param name="Line">Its source line, 0 without symbols.</param>
internal sealed record CallSite(string Method, string? File, int Line);

/// <summary>Where the user's code called the op that made a record, and the AutoGrad method that code called (the op itself, an operator, a module).</summary>
internal sealed record OpOrigin(CallSite? Site, MethodBase? Via);
