using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Core;

namespace CrmAnalytics.Cli.Tests.Input;

/// <summary>
/// Issue 14: a European ';'-separated export with decimal commas, read with the default ',' separator, fails with a
/// hint that names the separator, and never with the values of its data rows.
/// </summary>
[TestFixture]
public sealed class SeparatorHintTests
{
    private const string Map = "customer_id=Kundennummer,date=Belegdatum,amount=Umsatz";

    /// <summary>Cell values of the data rows, none of which may appear in any message.</summary>
    private static readonly string[] Values = ["40017", "40522", "03.01.2024", "149,90", "12,50", "1299,00"];

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("validate")]
    [TestCase("score")]
    public void Command_SemicolonExportReadWithCommas_HintsSeparatorWithoutCellValues(string command)
    {
        var input = _temp.Write("umsaetze.csv", Export("Kundennummer;Belegdatum;Umsatz"));

        var run = Crm.Run([command, input, "--map", Map, .. command == "score" ? new[] { "--out", _temp["out"] } : []]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputUnreadable), run.ToString());
        Assert.That(run.Error, Does.Contain("The header looks ';'-separated: try --separator ';', or run 'crm init' on the export."));
        Assert.That(run.Error, Does.Contain("Columns found in the one header cell: 'Kundennummer', 'Belegdatum', 'Umsatz'."));
        AssertNoCellValues(run);
    }

    /// <summary>
    /// A comma in the last header name splits the ';' header into two cells when read with ','; the mapped names are
    /// inside the first. A tab export is the one-cell case with another separator.
    /// </summary>
    [TestCase("Kundennummer;Belegdatum;Umsatz;Bemerkung (intern, optional)", ";", ';', "The header looks ';'-separated: try --separator ';', or run 'crm init' on the export.")]
    [TestCase("Kundennummer;Belegdatum;Umsatz", "", '\t', "The header looks tab-separated: try --separator tab, or run 'crm init' on the export.")]
    public void Validate_ExportWithAnotherSeparator_HintsItWithoutCellValues(string header, string rowEnd, char separator, string hint)
    {
        var input = _temp.Write("umsaetze.csv", Export(header, rowEnd).Replace(';', separator));

        var run = Crm.Run("validate", input, "--map", Map);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputUnreadable), run.ToString());
        Assert.That(run.Error, Does.Contain(hint));
        AssertNoCellValues(run);
    }

    [Test]
    public void Validate_SemicolonExportWithTheHintedSeparator_AcceptsEveryRow()
    {
        var input = _temp.Write("umsaetze.csv", Export("Kundennummer;Belegdatum;Umsatz"));

        var run = Crm.Run("validate", input, "--map", Map, "--separator", ";", "--decimal-separator", ",", "--date-format", "dd.MM.yyyy");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Ok), run.ToString());
        Assert.That(run.Output, Does.Contain("rows_read: 6").And.Contain("rows_accepted: 6"));
    }

    [Test]
    public void Validate_CommaExportMissingAColumn_GivesNoSeparatorHint()
    {
        var input = _temp.Write("orders.csv", "customer_id,date,amount\n40017,2024-01-03,149.90\n");

        var run = Crm.Run("validate", input, "--map", "customer_id=customer_id,date=order_date,amount=amount");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputUnreadable), run.ToString());
        Assert.That(run.Error, Does.Contain("mapped column(s) not found: date ('order_date')").And.Not.Contain("separated"));
    }

    /// <summary>An Excel "CSV (semicolon)" export as a German shop writes it: dd.MM.yyyy dates, decimal commas, CRLF.</summary>
    /// <param name="rowEnd">Appended to every data row, for the cells of extra header columns.</param>
    private static string Export(string header, string rowEnd = "") =>
        string.Join("\r\n", new[]
        {
            "40017;03.01.2024;149,90",
            "40017;17.02.2024;12,50",
            "40522;05.01.2024;1299,00",
            "40522;05.03.2024;89,99",
            "40871;11.01.2024;24,95",
            "40871;29.02.2024;24,95",
        }.Select(row => row + rowEnd).Prepend(header)) + "\r\n";

    private static void AssertNoCellValues(CliResult run)
    {
        foreach (var value in Values)
        {
            Assert.That(run.Error + run.Output, Does.Not.Contain(value), value);
        }
    }
}
