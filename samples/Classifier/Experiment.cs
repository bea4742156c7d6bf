using System.Diagnostics;
using System.Globalization;
using AutoGrad;
using AutoGrad.IO;
using AutoGrad.NN;
using AutoGrad.Optimizers;

/// <summary>One dataset and how to learn it: the MLP's layer sizes and the training settings.</summary>
/// <param name="Seed">Seeds everything the run draws, in this order: the data, the train/test split, the initial weights, the batch order.</param>
internal sealed record Experiment(
    string Name,
    string Title,
    Func<RandomSource, Dataset> Generate,
    int[] LayerSizes,
    int Epochs,
    int BatchSize,
    double LearningRate,
    double TargetTestAccuracy,
    long Seed)
{
    private const double TestFraction = 0.3;

    /// <summary>Trains the model with progress lines, then writes the plots and the weights to <paramref name="outputDirectory"/>.</summary>
    public ExperimentResult Run(string outputDirectory)
    {
        var random = new RandomSource(Seed);
        (Dataset train, Dataset test) = Datasets.Split(Generate(random), TestFraction, random);
        var model = new Mlp(LayerSizes, random);
        var adam = new Adam(model.Parameters(), learningRate: LearningRate);
        var schedule = new CosineAnnealingSchedule(adam, maxSteps: Epochs, minimumLearningRate: 0);

        Console.WriteLine($"== {Title}: {train.Count} training and {test.Count} test points");
        Console.WriteLine($"Model, {model.ParameterCount} parameters: {model}");
        Console.WriteLine(
            $"Mini-batches of {BatchSize}, shuffled every epoch, for {Epochs} epochs; Adam, learning rate {LearningRate} "
            + "decaying to 0 on a cosine. Loss and accuracy are over the whole training set after the epoch.");

        var trainLosses = new List<double>(Epochs);
        var testLosses = new List<double>(Epochs);
        int[] order = [.. Enumerable.Range(0, train.Count)];
        int reportEvery = Math.Max(1, Epochs / 10);
        int epochWidth = Epochs.ToString(CultureInfo.InvariantCulture).Length;
        var trainingTime = new Stopwatch(); // the optimization steps only, not the per-epoch evaluation
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            trainingTime.Start();
            model.Train();
            Datasets.Shuffle(order, random);
            for (int start = 0; start < train.Count; start += BatchSize)
            {
                using TensorScope scope = Tensor.Scope(); // the step's tensors go back to the pool at its end
                Dataset batch = train.Select(order.AsSpan(start, Math.Min(BatchSize, train.Count - start)));
                Tensor loss = Losses.CrossEntropy(model.Forward(Tensor.Create(batch.Points)), batch.Labels);
                adam.ZeroGrad();
                loss.Backward();
                adam.Step();
            }

            schedule.Step();
            trainingTime.Stop();

            (double trainLoss, double trainAccuracy) = Evaluate(model, train);
            trainLosses.Add(trainLoss);
            testLosses.Add(Evaluate(model, test).Loss);
            if (epoch == 1 || epoch % reportEvery == 0)
            {
                string epochText = epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochWidth);
                Console.WriteLine($"  epoch {epochText}/{Epochs}   loss {trainLoss:0.000e+00}   train accuracy {trainAccuracy,7:P1}");
            }
        }

        double finalTrainAccuracy = Evaluate(model, train).Accuracy;
        double testAccuracy = Evaluate(model, test).Accuracy;
        Console.WriteLine(
            $"Training took {trainingTime.Elapsed.TotalSeconds:F2} s (the optimization steps). Train accuracy {finalTrainAccuracy:P1}, "
            + $"test accuracy {testAccuracy:P1} (target {TargetTestAccuracy:P0}).");

        string lossPath = Path.Combine(outputDirectory, $"{Name}-loss.png");
        Plots.LossCurve(lossPath, $"{Title}: cross-entropy loss while training", trainLosses, testLosses);
        string boundaryPath = Path.Combine(outputDirectory, $"{Name}-decision-boundary.png");
        Plots.DecisionBoundary(
            boundaryPath,
            $"{Title}: decision boundary (train accuracy {finalTrainAccuracy:P1}, test {testAccuracy:P1})",
            train,
            test,
            points => ProbabilityOfClass1(model, points));
        string weightsPath = Path.Combine(outputDirectory, $"{Name}-mlp.safetensors");
        model.SaveSafeTensors(weightsPath, new Dictionary<string, string>
        {
            ["dataset"] = Title,
            ["layer_sizes"] = string.Join(",", LayerSizes), // what new Mlp(...) needs before LoadSafeTensors
            ["test_accuracy"] = testAccuracy.ToString("F4", CultureInfo.InvariantCulture),
        });

        // The saved file must give back the same model: load it into a freshly initialized one.
        var reloaded = new Mlp(LayerSizes, new RandomSource(seed: 0));
        reloaded.LoadSafeTensors(weightsPath);
        bool reloadedMatches = Evaluate(reloaded, test) == Evaluate(model, test);
        foreach (string path in (string[])[lossPath, boundaryPath, weightsPath])
        {
            Console.WriteLine($"Wrote {Path.GetFullPath(path)}");
        }

        Console.WriteLine(reloadedMatches
            ? "The weights loaded back from the file give the same test loss and accuracy."
            : "The weights loaded back from the file do NOT give the same test loss and accuracy.");
        Console.WriteLine();
        return new ExperimentResult(Title, finalTrainAccuracy, testAccuracy, TargetTestAccuracy, trainingTime.Elapsed, reloadedMatches);
    }

    /// <summary>The mean cross-entropy and the fraction of samples whose larger logit is their class.</summary>
    private static (double Loss, double Accuracy) Evaluate(Mlp model, Dataset data)
    {
        model.Eval();
        using (Tensor.NoGrad())
        {
            Tensor logits = model.Forward(Tensor.Create(data.Points));
            double loss = Losses.CrossEntropy(logits, data.Labels).Item();
            float[] values = logits.ToArray<float>(); // [N, 2], row-major
            int correct = 0;
            for (int i = 0; i < data.Count; i++)
            {
                int predicted = values[(2 * i) + 1] > values[2 * i] ? 1 : 0;
                correct += predicted == data.Labels[i] ? 1 : 0;
            }

            return (loss, (double)correct / data.Count);
        }
    }

    private static float[] ProbabilityOfClass1(Mlp model, float[,] points)
    {
        model.Eval();
        using (Tensor.NoGrad())
        {
            float[] probabilities = model.Forward(Tensor.Create(points)).Softmax(axis: -1).ToArray<float>();
            return [.. Enumerable.Range(0, points.GetLength(0)).Select(i => probabilities[(2 * i) + 1])];
        }
    }
}

/// <summary>What one experiment achieved, for the summary and the exit code.</summary>
internal sealed record ExperimentResult(
    string Title, double TrainAccuracy, double TestAccuracy, double TargetTestAccuracy, TimeSpan TrainingTime, bool ReloadedWeightsMatch)
{
    public bool Succeeded => TestAccuracy >= TargetTestAccuracy && ReloadedWeightsMatch;
}
