namespace AutoGrad.Tests.BadInput;

/// <summary>
/// The bad-input catalogue: for each public entry point, each kind of bad input it can be given, the exact exception and
/// the words its message must contain. Each family of entry points has its own file (Catalogue.Ops.cs, Catalogue.Tensor.cs,
/// Catalogue.NN.cs, Catalogue.Training.cs, Catalogue.Graph.cs, Catalogue.Accepted.cs); this one joins them and lists the members that take
/// no bad input, each with the reason.
/// </summary>
public static partial class Catalogue
{
    // Lazy, so that the tables of the other files (static fields too) are initialized first, whatever the order of the files.
    private static readonly Lazy<BadInputCase[]> AllRejections = new(() =>
    [
        .. OpCases(), .. FactoryCases(), .. ReadingCases(), .. InPlaceCases(), .. TapeCases(), .. ModuleCases(), .. InitCases(), .. LossCases(),
        .. OptimizerCases(), .. FileCases(), .. MemoryCases(), .. GraphCases(),
    ]);

    private static readonly Lazy<AcceptedCase[]> AllAcceptances = new(() => [.. AcceptedCases(), .. GraphAcceptedCases()]);

    public static IReadOnlyList<BadInputCase> Rejections => AllRejections.Value;

    public static IReadOnlyList<AcceptedCase> Acceptances => AllAcceptances.Value;

    /// <summary>Public members with no input that can be bad, and why.</summary>
    public static IReadOnlyDictionary<string, string> Exempt { get; } = new Dictionary<string, string>
    {
        ["Tensor.NoGrad"] = "no arguments",
        ["Tensor.EnableGrad"] = "no arguments",
        ["Tensor.DetectAnomaly"] = "no arguments",
        ["AnomalyDetectionScope.Dispose"] = "no arguments; a second call does nothing (AnomalyDetectionTests)",
        ["Tensor.ZeroGrad"] = "only a bool; does nothing without a gradient",
        ["Tensor.RetainGrad"] = "no arguments; on a leaf it does nothing, as in PyTorch",
        ["Tensor.Scope"] = "no arguments",
        ["TensorPool.Clear"] = "no arguments",
        ["TensorPoolStatistics.ctor"] = "a record of counters: any values describe some pool",
        ["GradientCheckResult.ctor"] = "a record of a result: any values describe some comparison",
        ["GradientCheckResult.IsWithin"] = "any tolerance is a question with an answer (NaN: false)",
        ["RandomSource.ctor"] = "every 64-bit seed is valid",
        ["RandomSource.NextUInt64"] = "no arguments",
        ["RandomSource.NextDouble"] = "no arguments",
        ["RandomSource.NextNormal"] = "no arguments",
        ["Shapes.Format"] = "formats any span, negative lengths included (messages about bad shapes need that)",
        ["Module.Forward"] = "abstract: each override has its cases (Linear, Mlp, Sequential, the activations)",
        ["Module.NamedParameters"] = "no arguments",
        ["Module.Parameters"] = "no arguments",
        ["Module.NamedChildren"] = "no arguments",
        ["Module.Train"] = "only a bool",
        ["Module.Eval"] = "no arguments",
        ["Module.ZeroGrad"] = "only a bool",
        ["Module.ToString"] = "no arguments",
        ["Module.DescribeSettings"] = "protected, no arguments",
        ["Module.ctor"] = "protected, no arguments",
        ["Sequential.GetEnumerator"] = "no arguments",
        ["Relu.ctor"] = "no arguments",
        ["Tanh.ctor"] = "no arguments",
        ["Sigmoid.ctor"] = "no arguments",
        ["Optimizer.ZeroGrad"] = "only a bool",
        ["Optimizer.Update"] = "protected and abstract: called by Step with a finite gradient of the parameter's shape",
        ["Adam.Update"] = "protected override: called by Step with a finite gradient of the parameter's shape",
        ["Optimizer.CheckSetting"] = "protected: the check every optimizer setting case goes through",
        ["Optimizer.NewState"] = "protected: ZerosLike of a parameter (ZerosLike has its cases)",
        ["Optimizer.ctor"] = "protected: its checks are the Sgd, Adam and AdamW constructor cases",
        ["LearningRateSchedule.LearningRateAt"] = "abstract: each override has its cases (StepSchedule, CosineAnnealingSchedule)",
        ["GraphDrawingOptions.ctor"] = "no arguments",
        ["GraphDrawingOptions.set_ShowValues"] = "only a bool",
        ["GraphDrawingOptions.set_ShowGradients"] = "only a bool",
    };

    private static BadInputCase Rejects<TException>(string entryPoint, BadInputKind kind, string description, string[] words, Func<Arena, Action> arrange)
        where TException : Exception
        => new(entryPoint, kind, description, typeof(TException), words, arrange);
}
