using System.Text;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Init;

/// <summary>
/// Issue 14: <c>crm init</c> on exports in different dialects and languages. Each writes a job that <c>crm run --check</c>
/// accepts and that reads every row with zero malformed rows and the net amount worked out by hand in the case.
/// </summary>
[TestFixture]
public sealed class InitConstructedExportTests
{
    private static readonly Encoding Windows1252 = CodePages();

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>One constructed export: its bytes, the rows it has, their net amount, and settings the job must hold.</summary>
    public sealed record Export(string Name, string FileName, byte[] Bytes, int Rows, decimal NetAmount, string[] JobHas)
    {
        public override string ToString() => Name;
    }

    private static IEnumerable<Export> Exports()
    {
        yield return new("utf-16 LE with BOM, English", "orders.csv",
            Bytes(new UnicodeEncoding(false, true), "customer_id,order_date,amount\nC1,2024-01-05,10.50\nC2,2024-01-06,20.00\nC1,2024-02-07,5.25\n"),
            3, 35.75m, ["\"encoding\": \"utf-16\"", "map\": \"customer_id=customer_id,date=order_date,amount=amount\""]);
        yield return new("utf-16 LE without BOM", "nobom.csv",
            Bytes(new UnicodeEncoding(false, false), "customer_id,date,amount\nC1,2024-01-05,1.25\nC2,2024-01-06,2.00\n"),
            2, 3.25m, ["\"encoding\": \"utf-16\"", "without a byte order mark"]);
        yield return new("utf-16 BE with BOM, tab", "orders.tsv",
            Bytes(new UnicodeEncoding(true, true), "Customer\tDate\tRevenue\nA\t2024-03-01\t1.5\nB\t2024-03-02\t2.5\n"),
            2, 4m, ["\"encoding\": \"utf-16BE\"", "\"separator\": \"tab\""]);
        yield return new("Windows-1252, ';', decimal commas, dd.MM.yyyy, German", "umsaetze.csv",
            Windows1252.GetBytes("Kundennummer;Belegdatum;Umsatz\r\nMüller;03.01.2024;149,90\r\nJosé;15.01.2024;12,50\r\nMüller;28.02.2024;1299,00\r\n"),
            3, 1461.40m, ["\"encoding\": \"windows-1252\"", "\"separator\": \";\"", "\"date-format\": \"dd.MM.yyyy\"", "\"decimal-separator\": \",\""]);
        yield return new("UTF-8 BOM, ';', thousands '.', German Excel", "export.csv",
            Bytes(new UTF8Encoding(true), "Kunden-Nr.;Datum;Betrag (EUR);Land\n1001;02.01.2024;1.234,50;DE\n1002;03.01.2024;99,99;AT\n1001;14.01.2024;2.000,00;DE\n"),
            3, 3334.49m, ["\"thousands-separator\": \".\"", "customer_id=Kunden-Nr.,date=Datum,amount=Betrag (EUR)"]);
        yield return new("MM/dd/yyyy decided by a day above 12", "us.csv",
            Bytes(Utf8, "Customer ID,Order Date,Total\n17,01/05/2024,10.00\n18,01/13/2024,20.00\n17,02/28/2024,30.00\n"),
            3, 60m, ["\"date-format\": \"MM/dd/yyyy\""]);
        yield return new("dd/MM/yyyy vs MM/dd/yyyy ambiguous, noted", "ambiguous.csv",
            Bytes(Utf8, "customer,date,amount\nx,01/02/2024,1.00\ny,03/02/2024,2.00\nx,05/02/2024,3.00\n"),
            3, 6m, ["\"date-format\": \"dd/MM/yyyy\"", "--date-format \\\"MM/dd/yyyy\\\"".Replace("\\\"", "\"", StringComparison.Ordinal)]);
        yield return new("no header", "plain.csv",
            Bytes(Utf8, "k1,2024-01-05,12.50\nk2,2024-01-06,7.50\nk1,2024-01-09,1.25\n"),
            3, 21.25m, ["\"no-header\": true", "customer_id=1,date=2,amount=3"]);
        yield return new("quoted thousands", "quoted.csv",
            Bytes(Utf8, "Customer,Date,Amount\nA,2024-01-05,\"1,234.50\"\nB,2024-01-06,\"2,000.00\"\nA,2024-01-07,15.25\n"),
            3, 3249.75m, ["\"thousands-separator\": \",\""]);
        yield return new("tab, yyyyMMdd, Dutch", "bestellingen.txt",
            Bytes(Utf8, "Klantnummer\tBesteldatum\tBedrag\tOpmerking\nK-1\t20240105\t10,00\tgeen opmerking\nK-2\t20240106\t5,50\tspoed levering\n"),
            2, 15.50m, ["\"input-format\": \"Csv\"", "\"date-format\": \"yyyyMMdd\"", "customer_id=Klantnummer,date=Besteldatum,amount=Bedrag"]);
        yield return new("pipe, Spanish, quantity × unit price", "pedidos.csv",
            Bytes(Utf8, "Número de pedido|ID Cliente|Fecha|Cantidad|Precio unitario\nP1|c1|05/01/2024|2|3.50\nP2|c2|17/01/2024|1|10.00\nP3|c1|20/02/2024|3|1.00\n"),
            3, 20m, ["\"separator\": \"|\"", "\"date-format\": \"dd/MM/yyyy\"", "quantity=Cantidad,unit_price=Precio unitario,order_id=Número de pedido"]);
        yield return new("French, ';', space thousands, dates with times", "commandes.csv",
            Bytes(Utf8, "N° client;Date de commande;Montant TTC\nF01;05/01/2024 14:30;1 234,50\nF02;17/01/2024 09:05;99,90\nF01;20/02/2024 18:00;10,00\n"),
            3, 1344.40m, ["\"date-format\": \"dd/MM/yyyy HH:mm\"", "\"thousands-separator\": \"space\"", "customer_id=N° client"]);
        yield return new("Shopify-like: Total only on an order's first line", "orders_export.csv",
            Bytes(Utf8, "Name,Email,Financial Status,Paid at,Subtotal,Shipping,Taxes,Total,Lineitem quantity,Lineitem price\n" +
                "#1001,a@example.com,paid,2024-01-05 10:00:00 +0100,25.00,5.00,0.00,30.00,2,10.00\n" +
                "#1001,a@example.com,,2024-01-05 10:00:00 +0100,,,,,1,5.00\n" +
                "#1002,b@example.com,paid,2024-01-07 11:00:00 +0100,8.00,0.00,0.00,8.00,4,2.00\n"),
            3, 33m, ["quantity=Lineitem quantity,unit_price=Lineitem price", "customer_id=Email"]);
        yield return new("Online Retail xlsx-style: M/d/yyyy H:mm and cancellations", "retail.csv",
            Bytes(Utf8, "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
                "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
                "C536379,D,Discount,-1,12/1/2010 9:41,27.50,17850,United Kingdom\n" +
                "536380,22961,JAM MAKING SET,24,1/13/2011 9:41,1.45,17809,United Kingdom\n"),
            3, (6 * 2.55m) - 27.50m + (24 * 1.45m), ["\"date-format\": \"M/d/yyyy H:mm\"", "\"cancel-prefix\": \"C\""]);
        yield return new("Stripe-like payments", "payments.csv",
            Bytes(Utf8, "id,Created (UTC),Amount,Amount Refunded,Currency,Customer ID,Customer Email,Status\n" +
                "ch_1,2024-01-05 10:00:00,20.00,0.00,eur,cus_A,a@example.com,Paid\nch_2,2024-01-09 12:00:00,35.50,0.00,eur,cus_B,b@example.com,Paid\n"),
            2, 55.50m, ["customer_id=Customer ID,date=Created (UTC),amount=Amount"]);
        yield return new("gzip, ';', Excel CSV (semicolon) with CRLF", "export.csv.gz",
            Gzip(Windows1252.GetBytes("Client;Date;Valeur\r\n7;2024-01-05;3,5\r\n8;2024-01-06;4\r\n")),
            2, 7.5m, ["customer_id=Client,date=Date,amount=Valeur"]);
    }

    [TestCaseSource(nameof(Exports))]
    public void Init_ConstructedExport_JobValidatesWithZeroMalformedRowsAndTheRightTotal(Export export)
    {
        var path = Path.Combine(_temp.Path, export.FileName);
        File.WriteAllBytes(path, export.Bytes);

        var validated = InitJob.InitAndValidate(path, _temp["job.json"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validated.RowsMalformed, Is.Zero, validated.Init.ToString());
            Assert.That(validated.RowsRead, Is.EqualTo(export.Rows));
            Assert.That(validated.RowsAccepted, Is.EqualTo(export.Rows));
            Assert.That(validated.NetAmount, Is.EqualTo(export.NetAmount));
            foreach (var setting in export.JobHas)
            {
                Assert.That(validated.JobText + validated.Init.Output, Does.Contain(setting));
            }
        }
    }

    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    private static byte[] Bytes(Encoding encoding, string text) => [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];

    private static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(memory, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return memory.ToArray();
    }

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
