namespace CrmAnalytics.IO.CustomerTable;

/// <summary>The dialect of the CSVs meant for people: <c>customers.csv</c> and the customer lists under <c>segments/</c> (<c>--csv-dialect</c>).</summary>
public enum CsvDialect
{
    /// <summary>RFC 4180: UTF-8 without BOM, ',' between fields, '.' in numbers (the default).</summary>
    Rfc4180,

    /// <summary>
    /// What Excel opens directly in a locale with a decimal comma (de-DE and most of Europe): a UTF-8 BOM, ';' between
    /// fields and ',' in numbers; everything else as <see cref="Rfc4180"/>.
    /// </summary>
    Excel,
}
