using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

/// <summary>The PNG charts, drawn with ScottPlot 5 (SkiaSharp; no display needed).</summary>
internal static class Plots
{
    private const int Width = 900, Height = 700;
    private const int GridResolution = 200;

    // Saturated for the points, pale for the regions the model gives to each class, white where it is undecided.
    private static readonly Color Class0 = Color.FromHex("#1f5fbf");
    private static readonly Color Class1 = Color.FromHex("#d1452b");
    private static readonly Color Class0Region = Color.FromHex("#9cc0f0");
    private static readonly Color Class1Region = Color.FromHex("#f5ab9a");

    // Where ScottPlot's default face is missing it takes the first font Skia finds (a serif on a bare Linux
    // box): ask for an installed sans-serif face instead.
    private static readonly string? SansSerif = ((string[])["Segoe UI", "Helvetica Neue", "Helvetica", "Arial", "DejaVu Sans", "Liberation Sans"])
        .FirstOrDefault(SkiaSharp.SKFontManager.Default.FontFamilies.Contains);

    /// <summary>
    /// Training-set and test-set loss by epoch, on a logarithmic y axis: the loss of a classifier that
    /// separates its data keeps falling by orders of magnitude, which a linear axis flattens into a line at 0.
    /// </summary>
    public static void LossCurve(string path, string title, IReadOnlyList<double> trainLoss, IReadOnlyList<double> testLoss)
    {
        var plot = NewPlot(title, "epoch", "cross-entropy loss (log scale)");
        double[] epochs = [.. Enumerable.Range(1, trainLoss.Count).Select(e => (double)e)];

        // A loss can round to exactly 0 in float32; a floor far below any loss worth reading keeps the log finite.
        const double Floor = 1e-12;
        trainLoss = [.. trainLoss.Select(loss => Math.Max(loss, Floor))];
        testLoss = [.. testLoss.Select(loss => Math.Max(loss, Floor))];
        Scatter train = plot.Add.ScatterLine(epochs, [.. trainLoss.Select(Math.Log10)], Class0);
        train.LegendText = "training set";
        train.LineWidth = 2;
        Scatter test = plot.Add.ScatterLine(epochs, [.. testLoss.Select(Math.Log10)], Class1);
        test.LegendText = "test set";
        test.LineWidth = 2;

        // ScottPlot has no log axis: plot log10(loss) and place the ticks at the logarithms of round values.
        double lowest = Math.Log10(trainLoss.Concat(testLoss).Min()), highest = Math.Log10(trainLoss.Concat(testLoss).Max());
        double padding = 0.03 * Math.Max(highest - lowest, 0.1);
        plot.Axes.SetLimitsY(lowest - padding, highest + padding);
        plot.Axes.Left.TickGenerator = LogTicks(lowest - padding, highest + padding);
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;

        plot.Axes.SetLimitsX(0, trainLoss.Count + 1);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// The model's probability of class 1 over the plotted area, as a heatmap from class 0's color (p = 0)
    /// through white (p = 0.5) to class 1's (p = 1), with the p = 0.5 contour (the decision boundary) and the
    /// train (circles) and test (triangles) points in their classes' colors.
    /// </summary>
    /// <param name="probabilityOfClass1">The model: rows of (x₁, x₂) in, P(class 1) for each row out.</param>
    public static void DecisionBoundary(
        string path, string title, Dataset train, Dataset test, Func<float[,], float[]> probabilityOfClass1)
    {
        var plot = NewPlot(title, "x₁", "x₂");

        // Everything that takes room from the data area goes in before the layout below: the heatmap and its
        // color bar (filled in once the area is known) and the legend.
        var intensities = new double[GridResolution, GridResolution];
        Heatmap heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.CustomInterpolated([Class0Region, Colors.White, Class1Region]);
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.Smooth = true;
        ScottPlot.Panels.ColorBar colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Axis.Label.Text = "model's P(class 1)";
        colorBar.Axis.Label.FontSize = 14;
        colorBar.Axis.TickGenerator = new NumericFixedInterval(0.1);

        // The legend is listed by hand, to read as rows (training points and the boundary, then test points) and
        // because contour lines make no entry of their own.
        var boundaryLine = new LineStyle { Color = Colors.Black.WithOpacity(0.7), Width = 2, Pattern = LinePattern.Dashed };
        plot.Legend.ManualItems.AddRange(
            [
                AddPoints(plot, train, 0, MarkerShape.FilledCircle, "class 0, train"),
                AddPoints(plot, train, 1, MarkerShape.FilledCircle, "class 1, train"),
                new LegendItem { LabelText = "decision boundary (p = 0.5)", LineStyle = boundaryLine },
                AddPoints(plot, test, 0, MarkerShape.FilledTriangleUp, "class 0, test"),
                AddPoints(plot, test, 1, MarkerShape.FilledTriangleUp, "class 1, test"),
            ]);
        plot.ShowLegend(Edge.Bottom);

        // Lay the axes out around the data with equal units on both axes (which widens one of them to fit the
        // image), then evaluate the model on exactly the area that shows.
        (double xMin, double xMax, double yMin, double yMax) = Bounds(train, test);
        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        heatmap.Extent = new CoordinateRect(xMin, xMax, yMin, yMax);
        plot.Axes.SquareUnits();
        plot.RenderInMemory(Width, Height);
        AxisLimits limits = plot.Axes.GetLimits();

        var grid = new float[GridResolution * GridResolution, 2];
        for (int row = 0; row < GridResolution; row++)
        {
            for (int column = 0; column < GridResolution; column++)
            {
                grid[(row * GridResolution) + column, 0] = (float)X(column);
                grid[(row * GridResolution) + column, 1] = (float)Y(row);
            }
        }

        float[] probabilities = probabilityOfClass1(grid);
        var surface = new Coordinates3d[GridResolution, GridResolution];
        for (int row = 0; row < GridResolution; row++)
        {
            for (int column = 0; column < GridResolution; column++)
            {
                double p = probabilities[(row * GridResolution) + column];
                intensities[row, column] = p;
                surface[row, column] = new Coordinates3d(X(column), Y(row), p);
            }
        }

        heatmap.Extent = new CoordinateRect(limits.Left, limits.Right, limits.Bottom, limits.Top);
        heatmap.Update();

        // The levels must be set before the contour is computed.
        var boundary = new ContourLines { ContourLineLevels = [0.5] };
        boundary.Update(surface);
        boundary.LineStyle = boundaryLine;
        boundary.LabelStyle.IsVisible = false;
        plot.Add.Plottable(boundary);
        plot.MoveToBack(boundary);
        plot.MoveToBack(heatmap);

        plot.Axes.SetLimits(limits);
        plot.SavePng(path, Width, Height);

        double X(int column) => limits.Left + ((limits.Right - limits.Left) * (column + 0.5) / GridResolution);
        double Y(int row) => limits.Top - ((limits.Top - limits.Bottom) * (row + 0.5) / GridResolution); // row 0 is the top
    }

    // Ticks for an axis showing log10 of the values: labelled at each power of ten (and at 2 and 5 times it when the
    // axis spans under three decades, so there are always a few labels), a minor tick at every other multiple.
    private static NumericManual LogTicks(double bottom, double top)
    {
        var ticks = new NumericManual();
        bool fewDecades = top - bottom < 3;
        for (int exponent = (int)Math.Floor(bottom); exponent <= (int)Math.Ceiling(top); exponent++)
        {
            for (int multiple = 1; multiple <= 9; multiple++)
            {
                double value = multiple * Math.Pow(10, exponent), position = Math.Log10(value);
                if (position < bottom || position > top)
                {
                    continue;
                }

                if (multiple == 1 || (fewDecades && multiple is 2 or 5))
                {
                    ticks.AddMajor(position, value.ToString("G4", CultureInfo.InvariantCulture));
                }
                else
                {
                    ticks.AddMinor(position);
                }
            }
        }

        return ticks;
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansSerif is not null)
        {
            plot.Font.Set(SansSerif);
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    // Draws one class of one dataset; returns its legend entry.
    private static LegendItem AddPoints(Plot plot, Dataset data, int label, MarkerShape shape, string legend)
    {
        (double[] xs, double[] ys) = data.Coordinates(label);
        Markers markers = plot.Add.Markers(xs, ys, shape, size: shape == MarkerShape.FilledCircle ? 6 : 9, label == 0 ? Class0 : Class1);
        markers.MarkerStyle.OutlineColor = Colors.White;
        markers.MarkerStyle.OutlineWidth = 1;
        return new LegendItem { LabelText = legend, MarkerStyle = markers.MarkerStyle };
    }

    // The data's bounding box with a margin, so the boundary shows beyond the outermost points.
    private static (double XMin, double XMax, double YMin, double YMax) Bounds(Dataset train, Dataset test)
    {
        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        foreach (Dataset data in (Dataset[])[train, test])
        {
            for (int i = 0; i < data.Count; i++)
            {
                xMin = Math.Min(xMin, data.Points[i, 0]);
                xMax = Math.Max(xMax, data.Points[i, 0]);
                yMin = Math.Min(yMin, data.Points[i, 1]);
                yMax = Math.Max(yMax, data.Points[i, 1]);
            }
        }

        double margin = 0.08 * Math.Max(xMax - xMin, yMax - yMin);
        return (xMin - margin, xMax + margin, yMin - margin, yMax + margin);
    }
}
