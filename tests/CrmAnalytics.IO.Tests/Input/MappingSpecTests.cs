using CrmAnalytics.Core;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Surveys;

namespace CrmAnalytics.IO.Tests.Input;

/// <summary>The separator hint of a missing mapped column (issue 14), on headers as a wrongly split header arrives.</summary>
[TestFixture]
public sealed class MappingSpecTests
{
    [TestCase(new[] { "customer_id;date;amount" }, new[] { "customer_id" }, ';')]
    [TestCase(new[] { "customer_id\tdate\tamount" }, new[] { "customer_id" }, '\t')]
    [TestCase(new[] { "customer_id|date|amount" }, new[] { "x" }, '|')]
    [TestCase(new[] { "customer_id,date,amount" }, new[] { "customer_id" }, ',')]
    [TestCase(new[] { "Kunde;Datum;Betrag (EUR", " brutto)" }, new[] { "Datum" }, ';')]
    [TestCase(new[] { "Kunde;Datum;Betrag (EUR", " brutto)" }, new[] { "Zeit|datum" }, ';')]
    public void LikelySeparator_HeaderSplitAtAnotherSeparator_ReturnsIt(string[] header, string[] missing, char expected)
    {
        Assert.That(MappingSpec.LikelySeparator(header, missing), Is.EqualTo(expected));
    }

    [TestCase(new[] { "customer_id", "date", "amount" }, new[] { "order_date" })]
    [TestCase(new[] { "Kunde;Datum", "Betrag" }, new[] { "Umsatz" })]
    [TestCase(new[] { "customer_id" }, new[] { "date" })]
    public void LikelySeparator_HeaderWithoutAnotherSeparator_ReturnsNull(string[] header, string[] missing)
    {
        Assert.That(MappingSpec.LikelySeparator(header, missing), Is.Null);
    }

    [Test]
    public void ColumnMappingWith_BadEntryAndUnknownKey_NamesTheMappingAndNoFlag()
    {
        var ex = Assert.Throws<ConfigurationException>(() => TransactionPresets.Generic.Mapping.With("customer_id,shop=store"));

        Assert.That(ex!.Message.Split(Environment.NewLine), Is.EqualTo(new[]
        {
            "ColumnMapping entry 'customer_id' is not key=column.",
            "ColumnMapping key 'shop' is unknown; use one of customer_id, date, amount, quantity, unit_price, order_id.",
        }));
    }

    [Test]
    public void SurveyColumnMappingWith_UnknownKey_NamesTheMappingAndNoFlag()
    {
        var ex = Assert.Throws<ConfigurationException>(() => new SurveyColumnMapping().With("amount=x"));

        Assert.That(ex!.Message, Does.StartWith("SurveyColumnMapping key 'amount' is unknown").And.Not.Contain("--"));
    }

    [Test]
    public void Missing_OneCellSemicolonHeader_NamesSeparatorOptionAndTheSplitNames()
    {
        var error = MappingSpec.Missing("t.csv", ["date ('Datum')"], ["Kunde;Datum;Betrag"], ["Datum"], "--separator");

        Assert.That(error.Message, Is.EqualTo("t.csv: mapped column(s) not found: date ('Datum'). The header looks ';'-separated: try --separator ';', or run 'crm init' on the export. "
            + "Columns found in the one header cell: 'Kunde', 'Datum', 'Betrag'."));
    }

    [Test]
    public void Missing_FirstLineIsSemicolonData_GivesShapesNotValues()
    {
        var error = MappingSpec.Missing("t.csv", ["date ('Datum')"], ["C-77;2024-01-03;149,90"], ["Datum"]);

        Assert.That(error.Message, Does.Contain("The header looks ';'-separated. The first line does not look like a header; its 3 fields are #1 text"));
        Assert.That(error.Message, Does.Not.Contain("C-77").And.Not.Contain("149,90"));
    }
}
