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
        var result = this;
        foreach (var (key, value) in MappingSpec.Parse(spec, Keys, nameof(ColumnMapping)))
        {
            result = key switch
            {
                "customer_id" => result with { CustomerId = value },
                "date" => result with { Date = value },
                "amount" => result with { Amount = value, Quantity = null, UnitPrice = null },
                "quantity" => result with { Quantity = value, Amount = null },
                "unit_price" => result with { UnitPrice = value, Amount = null },
                _ => result with { OrderId = value },
            };
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
