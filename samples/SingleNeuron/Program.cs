// A single neuron, max(0, w·x + b), learns a known target neuron by stochastic gradient descent, then draws the graph
// of one batch's loss: neuron-graph.dot (Graphviz), neuron-graph.mmd (Mermaid) and, when Graphviz is installed, an SVG.
// Run with: dotnet run -c Release --project samples/SingleNeuron [-- --output DIR]   (DIR defaults to ./output)
// Exit code: 0 when the neuron recovers w* and b*, 1 when not, 2 for bad arguments, 3 when Graphviz rejects the graph.
using System.ComponentModel;
using System.Diagnostics;
using AutoGrad;
using AutoGrad.Optimizers;

string? outputDirectory = args switch
{
    [] => "output",
    ["--output", string directory] when directory.Length > 0 => directory,
    [string single] when single.StartsWith("--output=", StringComparison.Ordinal) && single.Length > "--output=".Length
        => single["--output=".Length..],
    _ => null,
};
if (outputDirectory is null)
{
    Console.Error.WriteLine("usage: SingleNeuron [--output DIR]   (DIR defaults to ./output)");
    return 2;
}

const int Features = 3, Samples = 512, BatchSize = 32, Epochs = 60;
const double LearningRate = 0.05;
double[] trueWeights = [2.0, -3.0, 0.5];
const double TrueBias = 1.0;

// Synthetic data: x ~ N(0, 1) and y = max(0, w*·x + b*), all from one seed.
var random = new RandomSource(seed: 2024);
var inputs = new float[Samples][];
var targets = new float[Samples];
for (int i = 0; i < Samples; i++)
{
    inputs[i] = [.. Enumerable.Range(0, Features).Select(_ => (float)random.NextNormal())];
    double z = TrueBias + inputs[i].Select((x, j) => x * trueWeights[j]).Sum();
    targets[i] = (float)Math.Max(0, z);
}

// The neuron: W is [1, features] as in PyTorch's Linear, so Affine computes x·Wᵀ + b for a batch.
Tensor w = Tensor.RandomNormal([1, Features], random, standardDeviation: 0.1).RequireGrad();
Tensor b = Tensor.Full([1], 0.1).RequireGrad();
var sgd = new Sgd([w, b], LearningRate);

Console.WriteLine($"Training max(0, w·x + b) on {Samples} samples, batches of {BatchSize}, learning rate {LearningRate}.");
var stopwatch = Stopwatch.StartNew();
var epochLosses = new List<double>();
int[] order = [.. Enumerable.Range(0, Samples)];
for (int epoch = 1; epoch <= Epochs; epoch++)
{
    Shuffle(order, random);
    double lossSum = 0;
    for (int start = 0; start < Samples; start += BatchSize)
    {
        // The step's tensors (batch, activations, loss, scratch) return to the pool when the scope ends.
        using TensorScope scope = Tensor.Scope();
        (Tensor x, Tensor y) = Batch(order.AsSpan(start, BatchSize));
        Tensor loss = Tensor.MseLoss(x.Affine(w, b).Relu(), y);
        loss.Backward();
        sgd.Step();
        sgd.ZeroGrad();
        lossSum += loss.Item();
    }

    epochLosses.Add(lossSum / (Samples / BatchSize));
    if (epoch == 1 || epoch % 6 == 0)
    {
        Console.WriteLine($"  epoch {epoch,3}   mean batch loss {epochLosses[^1]:0.00e+00}");
    }
}

stopwatch.Stop();
double finalLoss;
using (Tensor.NoGrad())
{
    (Tensor x, Tensor y) = Batch([.. Enumerable.Range(0, Samples)]);
    finalLoss = Tensor.MseLoss(x.Affine(w, b).Relu(), y).Item();
}

Console.WriteLine();
Console.WriteLine("log10(loss) by epoch:");
PlotLogLoss(epochLosses);
Console.WriteLine();
Console.WriteLine($"Trained in {stopwatch.Elapsed.TotalMilliseconds:F1} ms; loss over all {Samples} samples: {finalLoss:0.00e+00}");
Console.WriteLine();
Console.WriteLine("parameter    learned     target");
for (int j = 0; j < Features; j++)
{
    Console.WriteLine($"w[{j}]       {w[0, j],8:F4}   {trueWeights[j],8:F4}");
}

Console.WriteLine($"b          {b[0],8:F4}   {TrueBias,8:F4}");
bool recovered = finalLoss < 1e-4
    && Enumerable.Range(0, Features).All(j => Math.Abs(w[0, j] - trueWeights[j]) < 0.005)
    && Math.Abs(b[0] - TrueBias) < 0.005;
Console.WriteLine(recovered ? "Recovered w* and b* to 2 decimals." : "Did NOT recover w* and b* to 2 decimals.");

// The graph of one batch's loss, drawn before any Backward (which would release it), with the tensors named.
(Tensor xBatch, Tensor yBatch) = Batch(order.AsSpan(0, BatchSize));
Tensor batchLoss = Tensor.MseLoss(xBatch.Affine(w, b).Relu(), yBatch);
var drawing = new GraphDrawingOptions { Names = { [w] = "w", [b] = "b", [xBatch] = "x", [yBatch] = "y" }, ShowValues = true, MaxElements = 3 };
Directory.CreateDirectory(outputDirectory);
string dotFile = Path.Combine(outputDirectory, "neuron-graph.dot");
string mermaidFile = Path.ChangeExtension(dotFile, ".mmd"), svgFile = Path.ChangeExtension(dotFile, ".svg");
File.WriteAllText(dotFile, ComputationGraph.ToDot(batchLoss, drawing));
File.WriteAllText(mermaidFile, ComputationGraph.ToMermaid(batchLoss, drawing));
bool? rendered = RenderSvg(dotFile, svgFile);
Console.WriteLine(rendered switch
{
    true => $"Graph of one batch's loss: {dotFile}, {mermaidFile} (Mermaid) and {svgFile}.",
    false => $"Graphviz's dot rejected {dotFile}: see its message above.",
    null => $"Graph of one batch's loss: {dotFile} and {mermaidFile} (Mermaid). Render it with: dot -Tsvg {dotFile} -o {svgFile} (Graphviz: apt package graphviz).",
});
return !recovered ? 1 : rendered == false ? 3 : 0;

(Tensor X, Tensor Y) Batch(ReadOnlySpan<int> rows)
{
    var x = new float[rows.Length * Features];
    var y = new float[rows.Length];
    for (int r = 0; r < rows.Length; r++)
    {
        inputs[rows[r]].CopyTo(x, r * Features);
        y[r] = targets[rows[r]];
    }

    return (Tensor.Create(x, [rows.Length, Features]), Tensor.Create(y, [rows.Length, 1]));
}

// Runs Graphviz's dot: true when it rendered the SVG, false when it rejected the file (it prints why), null when it is
// not on PATH.
static bool? RenderSvg(string dotFile, string svgFile)
{
    try
    {
        using Process dot = Process.Start(new ProcessStartInfo("dot") { ArgumentList = { "-Tsvg", dotFile, "-o", svgFile } })!;
        dot.WaitForExit();
        return dot.ExitCode == 0;
    }
    catch (Win32Exception)
    {
        return null;
    }
}

static void Shuffle(int[] values, RandomSource random)
{
    for (int i = values.Length - 1; i > 0; i--)
    {
        int j = (int)(random.NextDouble() * (i + 1));
        (values[i], values[j]) = (values[j], values[i]);
    }
}

// A terminal chart: one column per group of epochs, one row per step of log10(loss).
static void PlotLogLoss(List<double> losses)
{
    const int Width = 75, Height = 12;
    double[] logs = [.. losses.Select(l => Math.Log10(Math.Max(l, 1e-30)))];
    double top = Math.Ceiling(logs.Max()), bottom = Math.Floor(logs.Min());
    var columns = new double[Math.Min(Width, logs.Length)];
    for (int c = 0; c < columns.Length; c++)
    {
        columns[c] = logs[c * logs.Length / columns.Length];
    }

    for (int row = 0; row < Height; row++)
    {
        double level = top - ((top - bottom) * row / (Height - 1));
        string label = row == 0 || row == Height - 1 || row == Height / 2 ? $"{level,6:F1} |" : "       |";
        var line = new char[columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            int columnRow = (int)Math.Round((top - columns[c]) / (top - bottom) * (Height - 1));
            line[c] = columnRow == row ? '*' : ' ';
        }

        Console.WriteLine(label + new string(line).TrimEnd());
    }

    Console.WriteLine("       +" + new string('-', columns.Length));
    Console.WriteLine($"        epoch 1{new string(' ', Math.Max(1, columns.Length - 12))}epoch {losses.Count}");
}
