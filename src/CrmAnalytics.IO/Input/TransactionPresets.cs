using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input;

/// <summary>Named read settings for well-known exports. <c>--map</c> and the other options override them.</summary>
public static class TransactionPresets
{
    /// <summary>
    /// UCI Online Retail and Online Retail II: amount = Quantity × UnitPrice (Price), cancellations are invoices
    /// starting with C, rows without a customer id are rejected as missing_customer_id, zero-price lines as zero_amount.
    /// </summary>
    public static TransactionReadOptions OnlineRetail { get; } = new()
    {
        Format = TransactionFormat.Auto,
        Mapping = new ColumnMapping
        {
            CustomerId = "CustomerID|Customer ID",
            Date = "InvoiceDate",
            Quantity = "Quantity",
            UnitPrice = "UnitPrice|Price",
            OrderId = "InvoiceNo|Invoice",
        },
        CancelledOrderPrefix = "C",
    };

    /// <summary>
    /// CDNOW master (Fader &amp; Hardie): whitespace-separated, header <c>customer_id date number_of_cds dollar_value</c>,
    /// yyyyMMdd dates. $0.00 purchases are kept as occasions, as lifetimes counts them.
    /// </summary>
    public static TransactionReadOptions Cdnow { get; } = new()
    {
        Format = TransactionFormat.Whitespace,
        Mapping = new ColumnMapping { CustomerId = "customer_id", Date = "date", Amount = "dollar_value" },
        DateFormat = "yyyyMMdd",
        ZeroAmount = ZeroAmountPolicy.Purchase,
    };

    /// <summary>The CDNOW 1/10 sample (no header): master id, sample id, date, CDs, dollars; customers are sample ids.</summary>
    public static TransactionReadOptions CdnowSample { get; } = Cdnow with
    {
        HasHeader = false,
        Mapping = new ColumnMapping { CustomerId = "2", Date = "3", Amount = "5" },
    };

    /// <summary>A CSV with headers customer_id, date (ISO 8601) and amount, and optionally order_id.</summary>
    public static TransactionReadOptions Generic { get; } = new()
    {
        Format = TransactionFormat.Auto,
        Mapping = new ColumnMapping { CustomerId = "customer_id", Date = "date", Amount = "amount", OrderId = null },
    };

    /// <summary>The CSV that <c>crm sample</c> writes: order_id, customer_id, date, sku, quantity, unit_price; C-prefixed orders are cancellations.</summary>
    public static TransactionReadOptions Sample { get; } = new()
    {
        Format = TransactionFormat.Auto,
        Mapping = new ColumnMapping { CustomerId = "customer_id", Date = "date", Quantity = "quantity", UnitPrice = "unit_price", OrderId = "order_id" },
        CancelledOrderPrefix = "C",
    };

    public static IReadOnlyDictionary<string, TransactionReadOptions> All { get; } = new Dictionary<string, TransactionReadOptions>(StringComparer.OrdinalIgnoreCase)
    {
        ["online-retail"] = OnlineRetail,
        ["cdnow"] = Cdnow,
        ["cdnow-sample"] = CdnowSample,
        ["generic"] = Generic,
        ["sample"] = Sample,
    };

    public static TransactionReadOptions Get(string name) =>
        All.TryGetValue(name, out var preset)
            ? preset
            : throw new ConfigurationException($"Unknown preset '{name}'; use one of {string.Join(", ", All.Keys)}.");
}
