using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Clv.Covariates;

public sealed class CovariateDesignTests
{
    private static readonly string[] Ids = ["c1", "c2", "c3", "c4", "c5", "c6"];

    private static CustomerAttributes Attributes(params (string Id, string?[] Values)[] rows) =>
        new(["channel", "spend", "region", "twice"], rows.ToDictionary(r => r.Id, r => r.Values, StringComparer.Ordinal));

    private static CustomerAttributes Complete() => Attributes(
        ("c1", ["web", "10.5", "north", "21"]),
        ("c2", ["store", "3", "north", "6"]),
        ("c3", ["referral", "7.25", "north", "14.5"]),
        ("c4", ["web", "1e1", "north", "20"]),
        ("c5", ["store", "0", "north", "0"]),
        ("c6", ["referral", "-2", "north", "-4"]));

    [Test]
    public void Build_CategoricalColumn_DummyCodedAgainstTheFirstLevelInOrdinalOrder()
    {
        var design = CovariateDesign.Build(Ids, Complete(), ["channel"], "purchase", "attrs.csv");
        Assert.Multiple(() =>
        {
            Assert.That(design.Names, Is.EqualTo(new[] { "channel=store", "channel=web" }));
            Assert.That(design.Columns[0].Reference, Is.EqualTo("referral"));
            Assert.That(design.Row(0).ToArray(), Is.EqualTo(new[] { 0.0, 1.0 }));
            Assert.That(design.Row(1).ToArray(), Is.EqualTo(new[] { 1.0, 0.0 }));
            Assert.That(design.Row(2).ToArray(), Is.EqualTo(new[] { 0.0, 0.0 }));
        });
    }

    [Test]
    public void Build_NumericColumn_UsedAsItIs()
    {
        var design = CovariateDesign.Build(Ids, Complete(), ["spend", "channel"], "purchase", "attrs.csv");
        Assert.Multiple(() =>
        {
            Assert.That(design.Names, Is.EqualTo(new[] { "spend", "channel=store", "channel=web" }));
            Assert.That(design.Columns[0].Kind, Is.EqualTo(CovariateKind.Numeric));
            Assert.That(Enumerable.Range(0, 6).Select(i => design.Row(i)[0]), Is.EqualTo(new[] { 10.5, 3, 7.25, 10, 0, -2 }));
        });
    }

    [Test]
    public void Build_ValuesMissingForSomeCustomers_ThrowsInputExceptionWithTheCount()
    {
        var attributes = Attributes(
            ("c1", ["web", "1", "n", "2"]), ("c2", ["store", "", "n", "4"]), ("c3", ["web", "3", "n", "6"]), ("c4", ["store", "4", "n", "8"]));
        var ex = Assert.Throws<InputException>(() => CovariateDesign.Build(Ids, attributes, ["spend"], "dropout", "attrs.csv"))!;
        Assert.That(ex.Message, Does.Contain("attrs.csv").And.Contain("3 of 6 customers have no value for the dropout covariate 'spend'").And.Contain("publishes nothing"));
    }

    [Test]
    public void Build_ConstantCategoricalColumn_ThrowsConfigurationException()
    {
        var ex = Assert.Throws<ConfigurationException>(() => CovariateDesign.Build(Ids, Complete(), ["region"], "purchase", "attrs.csv"))!;
        Assert.That(ex.Message, Does.Contain("'region' has one value for every customer").And.Not.Contain("north"));
    }

    [Test]
    public void Build_ConstantNumericColumn_ThrowsConfigurationException()
    {
        var attributes = new CustomerAttributes(["k"], Ids.ToDictionary(id => id, _ => new string?[] { "5" }, StringComparer.Ordinal));
        var ex = Assert.Throws<ConfigurationException>(() => CovariateDesign.Build(Ids, attributes, ["k"], "purchase", "attrs.csv"))!;
        Assert.That(ex.Message, Does.Contain("'k' is constant"));
    }

    [Test]
    public void Build_CollinearColumns_ThrowsConfigurationExceptionNamingBoth()
    {
        // twice = 2·spend.
        var ex = Assert.Throws<ConfigurationException>(() => CovariateDesign.Build(Ids, Complete(), ["spend", "twice"], "purchase", "attrs.csv"))!;
        Assert.That(ex.Message, Does.Contain("'twice' is collinear with 'spend'"));
    }

    [Test]
    public void Build_UnknownColumn_ThrowsInputExceptionListingTheFilesColumns()
    {
        var ex = Assert.Throws<InputException>(() => CovariateDesign.Build(Ids, Complete(), ["plan"], "purchase", "attrs.csv"))!;
        Assert.That(ex.Message, Does.Contain("'plan'").And.Contain("channel, spend, region, twice"));
    }
}
