using System.Globalization;

namespace CrmAnalytics.IO.Report;

/// <summary>How report.html presents numbers.</summary>
public sealed record ReportOptions
{
    /// <summary>Put before money amounts, e.g. "€", "$" or "EUR "; empty (the default) shows bare amounts in the input currency.</summary>
    public string CurrencySymbol { get; init; } = string.Empty;
}

/// <summary>Numbers formatted for people: thousands separators, percentages, the currency symbol (invariant culture, so reports compare across machines).</summary>
public sealed class HumanFormat(ReportOptions options)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Count(double value) => value.ToString("N0", Inv);

    /// <summary>A fraction as a percentage with one decimal: 0.534 → "53.4%".</summary>
    public string Percent(double fraction) => (fraction * 100).ToString("N1", Inv) + "%";

    /// <summary>A money amount with the currency symbol; two decimals below 1,000, none above: "€1,234", "€12.50".</summary>
    public string Money(double value)
    {
        var text = Math.Abs(value) >= 1000 ? Math.Abs(value).ToString("N0", Inv) : Math.Abs(value).ToString("N2", Inv);
        return (value < 0 ? "−" : string.Empty) + options.CurrencySymbol + text;
    }

    /// <summary>A plain number with one decimal and separators (NPS points, ...).</summary>
    public string Number(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(Inv), Inv).Replace("-", "−", StringComparison.Ordinal);

    /// <summary>A model parameter: four significant digits.</summary>
    public string Parameter(double value) => value.ToString("G4", Inv);
}
