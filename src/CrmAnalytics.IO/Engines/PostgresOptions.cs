namespace CrmAnalytics.IO.Engines;

/// <summary>
/// Settings of the PostgreSQL engine: what it reads (a table or a query) and the environment variable that holds the
/// connection string. The connection string never comes from the command line, where it would show in process lists and logs.
/// </summary>
public sealed record PostgresOptions
{
    /// <summary>The environment variable read when none is named: <c>--pg-connection-env</c>'s default.</summary>
    public const string DefaultConnectionVariable = "CRM_PG_CONNECTION";

    /// <summary>A table or view, written as SQL names it (<c>sales.order_lines</c>, <c>"Order Lines"</c>); its columns carry the mapping's names.</summary>
    public string? SourceTable { get; init; }

    /// <summary>A SELECT whose result columns carry the mapping's names; it runs as a subquery.</summary>
    public string? SourceQuery { get; init; }

    /// <summary>The environment variable holding an Npgsql connection string (<c>Host=…;Database=…;Username=…</c>).</summary>
    public string ConnectionVariable { get; init; } = DefaultConnectionVariable;

    /// <summary>The name messages, rejects and summary.json give the source: the table, or <c>source-query</c>.</summary>
    public string SourceName => SourceTable ?? "source-query";

    /// <summary>Every problem with the settings; empty when valid. Reads the environment to check that the variable is set.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(SourceTable) == string.IsNullOrWhiteSpace(SourceQuery))
        {
            errors.Add($"{nameof(PostgresOptions)} reads either {Setting(nameof(SourceTable))} or {Setting(nameof(SourceQuery))}: give exactly one.");
        }

        if (string.IsNullOrWhiteSpace(ConnectionVariable))
        {
            errors.Add($"{Setting(nameof(ConnectionVariable))} must name an environment variable.");
        }
        else if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionVariable)))
        {
            errors.Add($"{nameof(PostgresOptions)}: the environment variable {ConnectionVariable} ({Setting(nameof(ConnectionVariable))}) is not set; it holds the connection string, e.g. Host=db;Database=shop;Username=crm.");
        }

        return errors;
    }

    /// <summary>How messages name a setting (the CLI maps it to its option).</summary>
    private static string Setting(string property) => nameof(PostgresOptions) + "." + property;
}
