using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AutoGrad.Benchmarks.Support;

/// <summary>A column of work per second (GB/s, GFLOP/s), from the work one call does and its mean time.</summary>
/// <param name="name">The column's header, e.g. "GB/s".</param>
/// <param name="workPerCall">The work one call of a case does, in the units of the header times 10⁹.</param>
internal sealed class ThroughputColumn(string name, Func<BenchmarkCase, double> workPerCall) : IColumn
{
    public string Id => nameof(ThroughputColumn) + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{name} from the mean time of one call";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNanoseconds is > 0 ? (workPerCall(benchmarkCase) / meanNanoseconds.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "NA";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
