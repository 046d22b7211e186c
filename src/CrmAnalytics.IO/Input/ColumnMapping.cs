using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// Which input column holds each transaction field. A value may list alternatives separated by <c>|</c>
/// (the first present in the header wins), so one preset serves both Online Retail and Online Retail II.
/// Without a header, values are 1-based column numbers.
/// </summary>
public sealed record ColumnMapping
{
    public string? CustomerId { get; init; }

    public string? Date { get; init; }

    /// <summary>The line amount. Give either this or both <see cref="Quantity"/> and <see cref="UnitPrice"/>.</summary>
    public string? Amount { get; init; }

    public string? Quantity { get; init; }

    public string? UnitPrice { get; init; }

    /// <summary>Optional order/invoice id; needed for a cancelled-order prefix.</summary>
    public string? OrderId { get; init; }

    /// <summary>The mapping keys accepted by <c>--map</c>.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["customer_id", "date", "amount", "quantity", "unit_price", "order_id"];

    /// <summary>Applies <c>key=value,key=value</c> overrides on top of this mapping.</summary>
    public ColumnMapping With(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = this;
        var errors = new List<string>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                errors.Add($"--map entry '{part}' is not key=column.");
                continue;
            }

            var key = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim();
            switch (key)
            {
                case "customer_id": result = result with { CustomerId = value }; break;
                case "date": result = result with { Date = value }; break;
                case "amount": result = result with { Amount = value, Quantity = null, UnitPrice = null }; break;
                case "quantity": result = result with { Quantity = value, Amount = null }; break;
                case "unit_price": result = result with { UnitPrice = value, Amount = null }; break;
                case "order_id": result = result with { OrderId = value }; break;
                default: errors.Add($"--map key '{key}' is unknown; use one of {string.Join(", ", Keys)}."); break;
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return result;
    }

    /// <summary>Every problem with this mapping, empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(CustomerId))
        {
            errors.Add("The mapping has no customer_id column.");
        }

        if (string.IsNullOrWhiteSpace(Date))
        {
            errors.Add("The mapping has no date column.");
        }

        var hasAmount = !string.IsNullOrWhiteSpace(Amount);
        var hasQty = !string.IsNullOrWhiteSpace(Quantity);
        var hasPrice = !string.IsNullOrWhiteSpace(UnitPrice);
        if (hasAmount && (hasQty || hasPrice))
        {
            errors.Add("Map either amount, or quantity and unit_price, not both.");
        }
        else if (!hasAmount && !(hasQty && hasPrice))
        {
            errors.Add("The mapping needs an amount column, or both quantity and unit_price.");
        }

        return errors;
    }

    /// <summary>The mapped fields as (key, column spec) pairs, in <see cref="Keys"/> order.</summary>
    public IEnumerable<(string Key, string Column)> Mapped()
    {
        if (CustomerId is not null) yield return ("customer_id", CustomerId);
        if (Date is not null) yield return ("date", Date);
        if (Amount is not null) yield return ("amount", Amount);
        if (Quantity is not null) yield return ("quantity", Quantity);
        if (UnitPrice is not null) yield return ("unit_price", UnitPrice);
        if (OrderId is not null) yield return ("order_id", OrderId);
    }
}
