using AutoGrad;

/// <summary>A labelled set of 2-D points: row i of <see cref="Points"/> is sample i, <see cref="Labels"/>[i] its class (0 or 1).</summary>
internal sealed record Dataset(float[,] Points, int[] Labels)
{
    public int Count => Labels.Length;

    /// <summary>The samples at <paramref name="rows"/>, in that order.</summary>
    public Dataset Select(ReadOnlySpan<int> rows)
    {
        var points = new float[rows.Length, 2];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            points[i, 0] = Points[rows[i], 0];
            points[i, 1] = Points[rows[i], 1];
            labels[i] = Labels[rows[i]];
        }

        return new Dataset(points, labels);
    }

    /// <summary>The x and y coordinates of the samples of one class, for plotting.</summary>
    public (double[] X, double[] Y) Coordinates(int label)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < Count; i++)
        {
            if (Labels[i] == label)
            {
                xs.Add(Points[i, 0]);
                ys.Add(Points[i, 1]);
            }
        }

        return ([.. xs], [.. ys]);
    }
}

/// <summary>The two toy problems, generated from a seeded <see cref="RandomSource"/> so every run sees the same points.</summary>
internal static class Datasets
{
    /// <summary>
    /// Two interleaving half circles, as scikit-learn's <c>make_moons</c>: class 0 on the upper arc of the unit
    /// circle, class 1 on the lower arc shifted to (1, 0.5), each point moved by Gaussian noise of
    /// standard deviation <paramref name="noise"/>.
    /// </summary>
    public static Dataset TwoMoons(int count, double noise, RandomSource random)
    {
        int outer = count / 2, inner = count - outer;
        var points = new float[count, 2];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            bool isOuter = i < outer;
            int along = isOuter ? i : i - outer;
            double angle = Math.PI * along / ((isOuter ? outer : inner) - 1);
            (double x, double y) = isOuter
                ? (Math.Cos(angle), Math.Sin(angle))
                : (1 - Math.Cos(angle), 0.5 - Math.Sin(angle));
            points[i, 0] = (float)(x + (noise * random.NextNormal()));
            points[i, 1] = (float)(y + (noise * random.NextNormal()));
            labels[i] = isOuter ? 0 : 1;
        }

        return new Dataset(points, labels);
    }

    /// <summary>
    /// Two interleaved Archimedean spirals of <paramref name="turns"/> turns each, reaching radius 1: class 1 is
    /// class 0 turned by half a turn. Positions along the arm are uniform; Gaussian noise of standard deviation
    /// <paramref name="noise"/> moves each point.
    /// </summary>
    public static Dataset TwoSpirals(int count, double turns, double noise, RandomSource random)
    {
        var points = new float[count, 2];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            // Start a little way out: at the very centre the two arms meet and no classifier can tell them apart.
            double t = 0.05 + (0.95 * random.NextDouble());
            double angle = (2 * Math.PI * turns * t) + (label * Math.PI);
            points[i, 0] = (float)((t * Math.Cos(angle)) + (noise * random.NextNormal()));
            points[i, 1] = (float)((t * Math.Sin(angle)) + (noise * random.NextNormal()));
            labels[i] = label;
        }

        return new Dataset(points, labels);
    }

    /// <summary>A random split: <paramref name="testFraction"/> of the samples go to the test set, the rest to training.</summary>
    public static (Dataset Train, Dataset Test) Split(Dataset data, double testFraction, RandomSource random)
    {
        int[] order = [.. Enumerable.Range(0, data.Count)];
        Shuffle(order, random);
        int testCount = (int)Math.Round(data.Count * testFraction);
        return (data.Select(order.AsSpan(testCount)), data.Select(order.AsSpan(0, testCount)));
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public static void Shuffle(int[] values, RandomSource random)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)(random.NextDouble() * (i + 1));
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
