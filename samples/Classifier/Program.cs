// Scaffolding until the NN library (Mlp, Adam, Losses) lands on main: generates the two datasets and draws them
// with the plots the trained classifier will use, over a stand-in "model" (a fixed linear rule), to prove the
// plotting renders headless. The training loop replaces the stand-in.
using AutoGrad;

string outputDirectory = args is ["--output", string directory] ? directory : "output";
Directory.CreateDirectory(outputDirectory);

var moons = Datasets.TwoMoons(1000, noise: 0.15, new RandomSource(seed: 1));
var spirals = Datasets.TwoSpirals(1000, turns: 1.5, noise: 0.04, new RandomSource(seed: 2));
foreach ((string name, Dataset data) in (ReadOnlySpan<(string, Dataset)>)[("moons", moons), ("spirals", spirals)])
{
    (Dataset train, Dataset test) = Datasets.Split(data, testFraction: 0.3, new RandomSource(seed: 3));
    string path = Path.Combine(outputDirectory, $"{name}-decision-boundary.png");
    Plots.DecisionBoundary(path, $"{name}: {train.Count} train and {test.Count} test points, stand-in model", train, test, StandIn);
    Console.WriteLine($"wrote {path}");
}

static float[] StandIn(float[,] points)
{
    var p = new float[points.GetLength(0)];
    for (int i = 0; i < p.Length; i++)
    {
        p[i] = 1 / (1 + MathF.Exp(-4 * (points[i, 0] - points[i, 1])));
    }

    return p;
}
