using System.Text.Json;
using AutoGrad.Optimizers;

namespace AutoGrad.Tests.Optimizers;

/// <summary>
/// Each optimizer against PyTorch's own: the parameters after every step of a fixed example, recorded by
/// benchmarks/peers/optimizer_golden.py into Data/torch_optimizer_steps.json (the tests never need torch).
/// </summary>
public sealed class TorchGoldenStepTests
{
    private const double RelativeTolerance = 1e-12;

    private static readonly JsonElement Golden = ReadGolden();

    public static IEnumerable<string> CaseNames() => [.. Golden.GetProperty("cases").EnumerateObject().Select(c => c.Name)];

    [TestCaseSource(nameof(CaseNames))]
    public void Every_step_matches_PyTorch(string caseName)
    {
        JsonElement root = Golden;
        JsonElement golden = root.GetProperty("cases").GetProperty(caseName);
        Tensor k = Tensor.Create(Doubles(root.GetProperty("k")));
        Tensor c = Tensor.Create(Doubles(root.GetProperty("c")));
        Tensor theta = Tensor.Create(Doubles(root.GetProperty("start"))).RequireGrad();
        Optimizer optimizer = Create(golden.GetProperty("optimizer").GetString()!, golden.GetProperty("settings"), theta);

        int step = 0;
        foreach (JsonElement expected in golden.GetProperty("steps").EnumerateArray())
        {
            step++;
            optimizer.ZeroGrad();
            Tensor loss = ((k * (theta - c) * (theta - c)).Sum() / 2) + ((theta * theta * theta).Sum() / 30);
            loss.Backward();
            optimizer.Step();

            double[] actual = theta.ToArray<double>();
            double[] torch = Doubles(expected);
            for (int i = 0; i < torch.Length; i++)
            {
                Assert.That(actual[i], Is.EqualTo(torch[i]).Within(RelativeTolerance * Math.Max(1, Math.Abs(torch[i]))),
                    $"{caseName}: θ[{i}] after step {step}");
            }
        }

        Assert.That(step, Is.GreaterThanOrEqualTo(3), "the file holds several steps");
    }

    private static Optimizer Create(string type, JsonElement settings, Tensor theta)
    {
        double Setting(string name, double fallback) => settings.TryGetProperty(name, out JsonElement value) ? value.GetDouble() : fallback;
        double[] betas = settings.TryGetProperty("betas", out JsonElement b) ? Doubles(b) : [0.9, 0.999];
        return type switch
        {
            "SGD" => new Sgd(
                [theta],
                Setting("lr", double.NaN),
                momentum: Setting("momentum", 0),
                dampening: Setting("dampening", 0),
                nesterov: settings.TryGetProperty("nesterov", out JsonElement n) && n.GetBoolean(),
                weightDecay: Setting("weight_decay", 0)),
            "Adam" => new Adam([theta], Setting("lr", double.NaN), betas[0], betas[1], Setting("eps", 1e-8), Setting("weight_decay", 0)),
            "AdamW" => new AdamW([theta], Setting("lr", double.NaN), betas[0], betas[1], Setting("eps", 1e-8), Setting("weight_decay", 1e-2)),
            _ => throw new InvalidOperationException($"unknown optimizer {type} in the golden file"),
        };
    }

    private static JsonElement ReadGolden()
    {
        using JsonDocument document = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Optimizers", "Data", "torch_optimizer_steps.json")));
        return document.RootElement.Clone();
    }

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];
}
