using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>The mapping resolved against one file's header: 0-based indices and the column names used.</summary>
internal sealed record ResolvedColumns(int CustomerId, int Date, int Amount, int Quantity, int UnitPrice, int OrderId, RowColumns Names)
{
    public int MaxIndex => Math.Max(Math.Max(Math.Max(CustomerId, Date), Math.Max(Amount, Quantity)), Math.Max(UnitPrice, OrderId));

    /// <summary>Resolves names (alternatives split by '|', matched exactly, then ignoring case and surrounding spaces).</summary>
    /// <exception cref="InputException">A mapped column is missing; the message lists the columns found.</exception>
    public static ResolvedColumns Resolve(ColumnMapping mapping, IReadOnlyList<string>? header, bool needOrderId, string fileName)
    {
        var resolver = new ColumnResolver(header, fileName, "--separator");
        var customer = resolver.Find(mapping.CustomerId, "customer_id", true);
        var date = resolver.Find(mapping.Date, "date", true);
        var amount = resolver.Find(mapping.Amount, "amount", false);
        var quantity = resolver.Find(mapping.Quantity, "quantity", false);
        var price = resolver.Find(mapping.UnitPrice, "unit_price", false);
        var order = resolver.Find(mapping.OrderId, "order_id", needOrderId);
        resolver.ThrowIfMissing();
        return new ResolvedColumns(customer, date, amount, quantity, price, order,
            new RowColumns(resolver.Name(customer), resolver.Name(date), resolver.Name(amount), resolver.Name(quantity), resolver.Name(price)));
    }
}
