using CrmAnalytics.Core.Pipeline;

namespace CrmAnalytics.IO.CustomerTable;

/// <summary>The logical type of a customer-table column, shared by every output format.</summary>
/// <remarks>
/// CSV: text as is (formula-neutralised), dates <c>yyyy-MM-dd</c>, numbers in the invariant culture (doubles as the
/// shortest text that round-trips), null as an empty field.
/// Parquet: <see cref="String"/> is BYTE_ARRAY/UTF8 (DuckDB VARCHAR), <see cref="Date"/> is INT32 with the DATE logical
/// type (days since 1970-01-01; DuckDB DATE), <see cref="Int32"/> is INT32 (INTEGER), <see cref="Double"/> is DOUBLE.
/// </remarks>
public enum CustomerColumnType
{
    String,
    Date,
    Int32,
    Double,
}

/// <summary>How a <see cref="CustomerColumnType.Double"/> column is rounded in CSV files, which people read; Parquet keeps every digit.</summary>
public enum CsvRounding
{
    /// <summary>Money in the input currency: to cents, half away from zero (144.73999999999998 → 144.74).</summary>
    Cents,

    /// <summary>Probabilities and expectations: to 6 significant digits (0.12345678 → 0.123457).</summary>
    SignificantDigits6,
}

/// <summary>
/// One column of the customer table: its name (which carries its unit), logical type, meaning, and how to read it
/// from a <see cref="ScoredCustomer"/>. Created only through the factories, so writers handle every CLR type there is.
/// </summary>
public abstract class CustomerColumn
{
    private protected CustomerColumn(string name, CustomerColumnType type, bool isNullable, string meaning, CsvRounding? rounding = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(meaning);
        Name = name;
        Type = type;
        IsNullable = isNullable;
        Meaning = meaning;
        Rounding = rounding;
    }

    /// <summary>How the CSV writer rounds a double column; null for other types.</summary>
    public CsvRounding? Rounding { get; }

    /// <summary>The snake_case column name; units are part of it (<c>recency_days</c>, <c>spend_90d</c>).</summary>
    public string Name { get; }

    public CustomerColumnType Type { get; }

    /// <summary>Whether the column can hold null (an empty CSV field, an OPTIONAL Parquet column).</summary>
    public bool IsNullable { get; }

    /// <summary>Unit and meaning, as documented in the README's column table.</summary>
    public string Meaning { get; }

    /// <summary>The CLR type of the values, e.g. <see cref="double"/> or <see cref="Nullable{T}"/> of it.</summary>
    public abstract Type ClrType { get; }

    /// <summary>The type as the README shows it: <c>string</c>, <c>date</c>, <c>int32</c> or <c>double</c>, with ", nullable" when it can be null.</summary>
    public string TypeName
    {
        get
        {
            var name = Type switch
            {
                CustomerColumnType.String => "string",
                CustomerColumnType.Date => "date",
                CustomerColumnType.Int32 => "int32",
                CustomerColumnType.Double => "double",
                _ => throw new InvalidOperationException($"Unknown column type {Type}."),
            };
            return IsNullable ? name + ", nullable" : name;
        }
    }

    public static CustomerColumn<string> Text(string name, string meaning, Func<ScoredCustomer, string> getter) =>
        new(name, CustomerColumnType.String, isNullable: false, meaning, getter);

    public static CustomerColumn<string?> NullableText(string name, string meaning, Func<ScoredCustomer, string?> getter) =>
        new(name, CustomerColumnType.String, isNullable: true, meaning, getter);

    public static CustomerColumn<DateOnly> Date(string name, string meaning, Func<ScoredCustomer, DateOnly> getter) =>
        new(name, CustomerColumnType.Date, isNullable: false, meaning, getter);

    public static CustomerColumn<DateOnly?> NullableDate(string name, string meaning, Func<ScoredCustomer, DateOnly?> getter) =>
        new(name, CustomerColumnType.Date, isNullable: true, meaning, getter);

    public static CustomerColumn<int> Integer(string name, string meaning, Func<ScoredCustomer, int> getter) =>
        new(name, CustomerColumnType.Int32, isNullable: false, meaning, getter);

    public static CustomerColumn<int?> NullableInteger(string name, string meaning, Func<ScoredCustomer, int?> getter) =>
        new(name, CustomerColumnType.Int32, isNullable: true, meaning, getter);

    public static CustomerColumn<double> Real(string name, string meaning, CsvRounding rounding, Func<ScoredCustomer, double> getter) =>
        new(name, CustomerColumnType.Double, isNullable: false, meaning, getter, rounding);

    public static CustomerColumn<double?> NullableReal(string name, string meaning, CsvRounding rounding, Func<ScoredCustomer, double?> getter) =>
        new(name, CustomerColumnType.Double, isNullable: true, meaning, getter, rounding);

    public override string ToString() => $"{Name} ({TypeName})";
}

/// <summary>A customer-table column whose values are of CLR type <typeparamref name="T"/>.</summary>
public sealed class CustomerColumn<T> : CustomerColumn
{
    private readonly Func<ScoredCustomer, T> _getter;

    internal CustomerColumn(string name, CustomerColumnType type, bool isNullable, string meaning, Func<ScoredCustomer, T> getter, CsvRounding? rounding = null)
        : base(name, type, isNullable, meaning, rounding)
    {
        ArgumentNullException.ThrowIfNull(getter);
        _getter = getter;
    }

    public override Type ClrType => typeof(T);

    public T GetValue(ScoredCustomer customer) => _getter(customer);
}
