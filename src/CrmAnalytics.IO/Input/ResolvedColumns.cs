using System.Globalization;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input;

/// <summary>The mapping resolved against one file's header: 0-based indices and the column names used.</summary>
internal sealed record ResolvedColumns(int CustomerId, int Date, int Amount, int Quantity, int UnitPrice, int OrderId, RowColumns Names)
{
    public int MaxIndex => Math.Max(Math.Max(Math.Max(CustomerId, Date), Math.Max(Amount, Quantity)), Math.Max(UnitPrice, OrderId));

    /// <summary>Resolves names (alternatives split by '|', matched exactly, then ignoring case and surrounding spaces).</summary>
    /// <exception cref="InputException">A mapped column is missing; the message lists the columns found.</exception>
    public static ResolvedColumns Resolve(ColumnMapping mapping, IReadOnlyList<string>? header, bool needOrderId, string fileName)
    {
        var missing = new List<string>();
        int Find(string? spec, string key, bool required)
        {
            if (string.IsNullOrWhiteSpace(spec))
            {
                if (required)
                {
                    missing.Add(key);
                }

                return -1;
            }

            if (header is null)
            {
                return int.Parse(spec, CultureInfo.InvariantCulture) - 1;
            }

            foreach (var alt in spec.Split('|'))
            {
                for (var i = 0; i < header.Count; i++)
                {
                    if (string.Equals(header[i], alt, StringComparison.Ordinal))
                    {
                        return i;
                    }
                }

                for (var i = 0; i < header.Count; i++)
                {
                    if (string.Equals(header[i].Trim(), alt.Trim(), StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }
            }

            missing.Add($"{key} ('{spec}')");
            return -1;
        }

        var customer = Find(mapping.CustomerId, "customer_id", true);
        var date = Find(mapping.Date, "date", true);
        var amount = Find(mapping.Amount, "amount", false);
        var quantity = Find(mapping.Quantity, "quantity", false);
        var price = Find(mapping.UnitPrice, "unit_price", false);
        var order = Find(mapping.OrderId, "order_id", needOrderId);
        if (missing.Count > 0)
        {
            var found = header is null ? "(no header)" : string.Join(", ", header.Select(h => $"'{h}'"));
            throw new InputException($"{fileName}: mapped column(s) not found: {string.Join(", ", missing)}. Columns found: {found}.");
        }

        string Name(int index) => index < 0 ? string.Empty : header is null ? $"#{index + 1}" : header[index];
        return new ResolvedColumns(customer, date, amount, quantity, price, order,
            new RowColumns(Name(customer), Name(date), Name(amount), Name(quantity), Name(price)));
    }
}
