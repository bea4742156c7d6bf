using AutoGrad.Autodiff;

namespace AutoGrad;

// Anomaly detection's hooks into recording and the backward walk; the detection itself is in AnomalyDetection.
public sealed partial class Tensor
{
    /// <summary>True inside a <see cref="DetectAnomaly"/> scope on this thread.</summary>
    public static bool IsAnomalyDetectionEnabled => AnomalyDetection.IsEnabled;

    /// <summary>
    /// Starts a scope in which every op on this thread checks its result for NaN and ±∞, and every
    /// <see cref="Backward"/> checks each gradient each rule produces, throwing <see cref="AnomalyException"/> at the
    /// first: <c>using (Tensor.DetectAnomaly()) { ... }</c>, as PyTorch's <c>torch.autograd.detect_anomaly()</c>.
    /// </summary>
    /// <remarks>
    /// <para>The exception names the op, the index and value of the first non-finite element and the file and line of
    /// your code that called the op, even through an operator or a module (from the stack and the PDB; without
    /// symbols it names the method). For a backward anomaly that line is where the op was recorded, so record the
    /// forward pass inside the scope too. A value that arrives non-finite (from data or a parameter) is reported as
    /// such, at the first op that uses it.</para>
    /// <para>Nothing is lost when it throws: a failing op records nothing, and a failing Backward restores every
    /// gradient it had changed and keeps the graph.</para>
    /// <para>It is a debugging aid and costs accordingly: a pass over each result and gradient, and a stack walk per
    /// recorded op (benchmarks/RESULTS.md gives the measured cost). Outside the scope, ops pay one read of a
    /// process-wide counter.</para>
    /// </remarks>
    public static AnomalyDetectionScope DetectAnomaly() => new(AnomalyDetection.Enter());

    /// <summary>
    /// The gradients a walk over <paramref name="order"/> may change (leaves' and retained ones), copied, so that a
    /// walk stopped by anomaly detection can put them back; throws first if one of them is already not finite.
    /// </summary>
    private static List<SavedGradient> SaveGradients(List<TapeEntry> order)
    {
        var saved = new List<SavedGradient>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (TapeEntry entry in order)
        {
            if (entry.Output._retainsGrad && seen.Add(entry.Output))
            {
                saved.Add(new SavedGradient(entry.Output, entry.Output._retainedGrad));
            }

            for (int i = 0; i < entry.InputCount; i++)
            {
                if (entry.Input(i) is { IsLeaf: true, ReceivesGradient: true } leaf && seen.Add(leaf))
                {
                    if (leaf._grad is not null)
                    {
                        AnomalyDetection.CheckIncoming(leaf._grad, "the gradient a leaf accumulated before (call ZeroGrad between steps)");
                    }

                    saved.Add(new SavedGradient(leaf, leaf._grad));
                }
            }
        }

        return saved;
    }

    private static void RestoreGradients(List<SavedGradient> saved)
    {
        foreach (SavedGradient save in saved)
        {
            ref Tensor? gradient = ref save.Owner.IsLeaf ? ref save.Owner._grad : ref save.Owner._retainedGrad;
            if (gradient != save.Gradient)
            {
                gradient?.Dispose();
                gradient = save.Gradient;
            }

            if (save.Values is not null)
            {
                Array.Copy(save.Values, gradient!.Storage, save.Values.Length);
            }
        }
    }

    /// <summary>Checks the gradient of every input <paramref name="entry"/>'s rule accumulated into.</summary>
    private static void CheckRuleGradients(TapeEntry entry)
    {
        for (int i = 0; i < entry.InputCount; i++)
        {
            if (entry.Input(i) is { ReceivesGradient: true, _grad: Tensor gradient } input)
            {
                AnomalyDetection.CheckBackward(entry, i, input, gradient);
            }
        }
    }

    /// <summary>A gradient as a walk found it: the tensor that held it (or null) and a copy of its values.</summary>
    private sealed class SavedGradient(Tensor owner, Tensor? gradient)
    {
        public Tensor Owner { get; } = owner;

        public Tensor? Gradient { get; } = gradient;

        public Array? Values { get; } = gradient?.Storage.Clone() as Array;
    }
}
