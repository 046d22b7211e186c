using CrmAnalytics.IO.Engines;

namespace CrmAnalytics.IO.Tests.Engines;

/// <summary>Issue 16: the PostgreSQL engine's settings are checked by their names, never by CLI flags.</summary>
[TestFixture]
public sealed class PostgresOptionsTests
{
    [Test]
    public void Validate_TableAndQueryAndNoVariable_NamesEachSettingAndNoFlag()
    {
        var errors = new PostgresOptions { SourceTable = "sales", SourceQuery = "SELECT 1", ConnectionVariable = " " }.Validate();

        Assert.That(errors, Is.EqualTo(new[]
        {
            "PostgresOptions reads either PostgresOptions.SourceTable or PostgresOptions.SourceQuery: give exactly one.",
            "PostgresOptions.ConnectionVariable must name an environment variable.",
        }));
    }

    [Test]
    public void Validate_UnsetVariable_NamesItAndItsSettingAndNoFlag()
    {
        var error = new PostgresOptions { SourceTable = "sales", ConnectionVariable = "CRM_PG_SURELY_UNSET" }.Validate().Single();

        Assert.That(error, Does.StartWith("PostgresOptions: the environment variable CRM_PG_SURELY_UNSET (PostgresOptions.ConnectionVariable) is not set").And.Not.Contain("--"));
    }
}
