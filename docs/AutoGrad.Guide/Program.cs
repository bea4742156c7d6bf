// The program behind docs/Guide.md: runs every snippet of the guide in order, each checking its claim against a
// reference computed by hand, then checks that the guide shows exactly these snippets and what they print.
// Run with: dotnet run -c Release --project docs/AutoGrad.Guide [-- --check-guide path/to/Guide.md]
using AutoGrad.Guide;

string? guidePath = null;
if (args.Length == 2 && args[0] == "--check-guide")
{
    guidePath = args[1];
    if (!File.Exists(guidePath))
    {
        Console.Error.WriteLine($"--check-guide: no file at {guidePath}");
        return 2;
    }
}
else if (args.Length != 0)
{
    Console.Error.WriteLine("usage: AutoGrad.Guide [--check-guide <Guide.md>]   (without it, the Guide.md built into the program)");
    return 2;
}

var guide = new GuideRun();
guide.Section("Scalar derivative rules", Sections.FirstDerivative, Sections.ScalarRules);
guide.Section("Partial derivatives", Sections.PartialDerivatives);
guide.Section("The gradient", Sections.Gradient);
guide.Section("The Jacobian", Sections.JacobianMatrix);
guide.Section("Element-wise binary operations", Sections.ElementwiseJacobians);
guide.Section("Scalar expansion", Sections.ScalarExpansion);
guide.Section("Vector sum reduction", Sections.SumReduction);
guide.Section("The chain rule", Sections.SingleVariableChainRule, Sections.VectorChainRule, Sections.LayerChainRule);
guide.Section("The gradient of a neuron", Sections.NeuronGradient);
guide.Section("The gradient of the loss", Sections.LossGradient);
guide.Section("Gradient descent", Sections.SgdStep, Sections.Training);

string guideText = guidePath is null ? Snippets.EmbeddedGuide() : File.ReadAllText(guidePath);
(List<Snippet> snippets, List<string> snippetProblems) = Snippets.FromEmbeddedSources();
(List<string> driftProblems, int codeBlocks, int outputBlocks) = GuideDriftCheck.Verify(guideText, snippets, guide.Runs);
List<string> guideProblems = [.. snippetProblems, .. driftProblems];

Console.WriteLine($"maths: {Check.PassedCount} checks agree with the hand-derived values, {Check.Failures.Count} disagree");
string source = guidePath ?? "the Guide.md built into the program";
Console.WriteLine(guideProblems.Count == 0
    ? $"guide: {codeBlocks} csharp blocks in {source} are the program's {snippets.Count} snippets, in order; {outputBlocks} text blocks are their output"
    : $"guide: {source} does not match the program; problems: {guideProblems.Count}");

IEnumerable<string> failures = [.. Check.Failures.Select(f => "check failed: " + f), .. guide.Errors, .. guideProblems];
foreach (string failure in failures)
{
    Console.Error.WriteLine("FAILED: " + failure);
}

return failures.Any() ? 1 : 0;
