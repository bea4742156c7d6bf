// A multilayer perceptron learns to separate two classes of 2-D points, on two seeded toy problems: scikit-learn's
// two moons and two interleaved spirals. For each it prints training progress, the final train and test accuracy
// and the training time, and writes a loss curve, a decision-boundary plot (PNG) and the weights (.safetensors).
// Run with: dotnet run -c Release --project samples/Classifier [-- --output DIR]
// Exit code: 0 when every test accuracy meets its target and the saved weights load back to the same model, 1 when
// not (so CI can run it), 2 for bad arguments.
using System.Diagnostics;

string? outputDirectory = ParseOutputDirectory(args);
if (outputDirectory is null)
{
    Console.Error.WriteLine("usage: Classifier [--output DIR]   (DIR defaults to ./output)");
    return 2;
}

Directory.CreateDirectory(outputDirectory);

Experiment[] experiments =
[
    new(
        Name: "moons",
        Title: "Two moons",
        Generate: random => Datasets.TwoMoons(count: 1000, noise: 0.15, random),
        LayerSizes: [2, 32, 32, 2],
        Epochs: 100,
        BatchSize: 64,
        LearningRate: 0.01,
        TargetTestAccuracy: 0.97,
        Seed: 1),
    new(
        Name: "spirals",
        Title: "Two spirals",
        Generate: random => Datasets.TwoSpirals(count: 1000, turns: 2, noise: 0.04, random),
        LayerSizes: [2, 64, 64, 2],
        Epochs: 300,
        BatchSize: 64,
        LearningRate: 0.01,
        TargetTestAccuracy: 0.95,
        Seed: 2),
];

var stopwatch = Stopwatch.StartNew();
ExperimentResult[] results = [.. experiments.Select(experiment => experiment.Run(outputDirectory))];

Console.WriteLine($"{"dataset",-12} {"train acc.",10} {"test acc.",10} {"target",8} {"training",9}");
foreach (ExperimentResult result in results)
{
    string target = $"≥ {result.TargetTestAccuracy:P0}";
    string verdict = result.Succeeded ? "ok" : result.ReloadedWeightsMatch ? "MISSED" : "RELOAD FAILED";
    Console.WriteLine(
        $"{result.Title,-12} {result.TrainAccuracy,10:P1} {result.TestAccuracy,10:P1} {target,8} {result.TrainingTime.TotalSeconds,7:F2} s  {verdict}");
}

Console.WriteLine($"Whole run: {stopwatch.Elapsed.TotalSeconds:F1} s.");
return results.All(result => result.Succeeded) ? 0 : 1;

// "--output DIR" or "--output=DIR"; no arguments means ./output. Null for anything else.
static string? ParseOutputDirectory(string[] args) => args switch
{
    [] => "output",
    ["--output", string directory] when directory.Length > 0 => directory,
    [string single] when single.StartsWith("--output=", StringComparison.Ordinal) && single.Length > "--output=".Length
        => single["--output=".Length..],
    _ => null,
};
