using CrmAnalytics.IO.Input.Sniffing;

namespace CrmAnalytics.IO.Tests.Input.Sniffing;

/// <summary>Header names in several languages and from common exports score for their role, and names of other things do not.</summary>
[TestFixture]
public sealed class ColumnRolesTests
{
    [TestCase("CustomerID", "CustomerId")]
    [TestCase("Customer ID", "CustomerId")]
    [TestCase("Kunden-Nr.", "CustomerId")]
    [TestCase("N° client", "CustomerId")]
    [TestCase("ID Cliente", "CustomerId")]
    [TestCase("Klantnummer", "CustomerId")]
    [TestCase("Email", "CustomerId")]
    [TestCase("InvoiceDate", "Date")]
    [TestCase("Belegdatum", "Date")]
    [TestCase("Date de commande", "Date")]
    [TestCase("Fecha", "Date")]
    [TestCase("Besteldatum", "Date")]
    [TestCase("Created (UTC)", "Date")]
    [TestCase("Total", "Amount")]
    [TestCase("Betrag (EUR)", "Amount")]
    [TestCase("Montant TTC", "Amount")]
    [TestCase("Importe", "Amount")]
    [TestCase("Bedrag", "Amount")]
    [TestCase("dollar_value", "Amount")]
    [TestCase("Quantity", "Quantity")]
    [TestCase("Menge", "Quantity")]
    [TestCase("Quantité", "Quantity")]
    [TestCase("Cantidad", "Quantity")]
    [TestCase("UnitPrice", "UnitPrice")]
    [TestCase("Einzelpreis", "UnitPrice")]
    [TestCase("Prix unitaire", "UnitPrice")]
    [TestCase("InvoiceNo", "OrderId")]
    [TestCase("Bestellnummer", "OrderId")]
    [TestCase("Numéro de commande", "OrderId")]
    [TestCase("Amount Refunded", "Returns")]
    public void Score_KnownName_ScoresHighestForItsRole(string header, string roleName)
    {
        var role = Enum.Parse<ColumnRole>(roleName);
        var best = Enum.GetValues<ColumnRole>().OrderByDescending(r => ColumnRoles.Score(header, r)).First();

        Assert.That(ColumnRoles.Score(header, role), Is.GreaterThanOrEqualTo(2));
        Assert.That(best, Is.EqualTo(role));
    }

    [TestCase("Customer Name", "CustomerId")]
    [TestCase("Geburtsdatum", "Date")]
    [TestCase("Delivery date", "Date")]
    [TestCase("Tax amount", "Amount")]
    [TestCase("Shipping total", "Amount")]
    [TestCase("Order Date", "OrderId")]
    public void Score_NameOfSomethingElse_IsZero(string header, string roleName) =>
        Assert.That(ColumnRoles.Score(header, Enum.Parse<ColumnRole>(roleName)), Is.Zero);
}
