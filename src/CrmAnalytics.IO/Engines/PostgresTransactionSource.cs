using System.Data;
using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Input;
using Npgsql;
using NpgsqlTypes;

namespace CrmAnalytics.IO.Engines;

/// <summary>
/// Reads transactions from PostgreSQL: the reduction of <see cref="ReductionQuery"/> runs in the server over a table or
/// a query, and only customer-days, reject counts and a rejects sample come back. The result is the native reader's on
/// the same lines: the same customer table and row accounting.
/// </summary>
/// <remarks>
/// Columns are used as typed: text is parsed by the native rules (the <c>--date-format</c> and decimal options apply),
/// numbers, DATE and TIMESTAMP are taken as they are (a TIMESTAMP WITH TIME ZONE is cut to its UTC day). The session
/// runs with <c>TimeZone=UTC</c> and <c>DateStyle=ISO</c> so that casts do not depend on the server's settings. A table
/// has no line numbers: the rejects sample gives line 0 and the first 100 rejected records per reason in record order.
/// </remarks>
public static class PostgresTransactionSource
{
    /// <exception cref="ConfigurationException">The options are invalid, or the connection string cannot be parsed.</exception>
    /// <exception cref="SourceUnreachableException">The server cannot be reached, refuses the login, or drops the connection.</exception>
    /// <exception cref="InputException">The table or query fails, a mapped column is missing (the columns found are listed) or has a type no transaction field can use.</exception>
    public static Task<TransactionReadResult> ReadAsync(PostgresOptions engine, TransactionReadOptions options, IRejectSink rejects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rejects);
        options.ThrowIfInvalid();
        if (engine.Validate() is { Count: > 0 } errors)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return Task.Run(() => Read(engine, options, rejects, cancellationToken), cancellationToken);
    }

    private static TransactionReadResult Read(PostgresOptions engine, TransactionReadOptions options, IRejectSink rejects, CancellationToken ct)
    {
        var name = engine.SourceName;
        using var connection = Open(engine, ct);
        var relation = engine.SourceTable ?? $"(\n{engine.SourceQuery!.TrimEnd().TrimEnd(';')}\n) AS source_query";
        var schema = Run(connection, $"SELECT * FROM {relation} LIMIT 0", name, ct, r => r.GetColumnSchema(), CommandBehavior.SchemaOnly);
        var names = schema.Select(c => c.ColumnName).ToArray();
        var cols = ResolvedColumns.Resolve(options.Mapping, options.HasHeader ? names : null, options.CancelledOrderPrefix is { Length: > 0 }, name);
        if (cols.MaxIndex >= names.Length)
        {
            throw new InputException($"{name}: column #{cols.MaxIndex + 1} is mapped but the {(engine.SourceTable is null ? "query returns" : "table has")} {names.Length} columns.");
        }

        var kinds = schema.Select(c => KindOf(c.NpgsqlDbType)).ToArray();
        DuckDbTransactionSource.CheckTypes(name, [.. schema.Select(c => (c.ColumnName, c.DataTypeName))], kinds, cols);
        if (kinds[cols.CustomerId] == SourceKind.Float)
        {
            // The Parquet reader's whole-number check has no portable SQL error function; a cast in the query is exact.
            throw new InputException($"{name}: column '{names[cols.CustomerId]}' (mapped as customer_id) is {schema[cols.CustomerId].DataTypeName}, which has no exact text; cast it to bigint or text in --source-query.");
        }

        var d = PostgresDialect.Instance;
        var source = DuckDbTransactionSource.Source(relation, cols, i => d.Identifier(names[i]), i => kinds[i] ?? SourceKind.Text, line: null, file: d.Text(name));
        var sql = ReductionQuery.Build(d, source, options, sample: true);
        var (builder, accounting) = Run(connection, sql, name, ct, r => OccasionTable.Load(r, name, rejects));
        return new TransactionReadResult(name, TransactionFormat.Auto, false, accounting, builder);
    }

    private static NpgsqlConnection Open(PostgresOptions engine, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(engine.ConnectionVariable));
        }
        catch (ArgumentException ex)
        {
            // The message would quote the connection string, which may hold a password.
            throw new ConfigurationException($"--engine postgres: the connection string in {engine.ConnectionVariable} cannot be parsed (use Npgsql's Host=…;Port=…;Database=…;Username=… form).", ex);
        }

        settings.Timezone = "UTC";
        settings.Options = string.Join(' ', new[] { settings.Options, "-c DateStyle=ISO,MDY" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        settings.ApplicationName ??= "crm";
        var connection = new NpgsqlConnection(settings.ConnectionString);
        try
        {
            connection.OpenAsync(ct).GetAwaiter().GetResult();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            connection.Dispose();
            throw new SourceUnreachableException(string.Create(CultureInfo.InvariantCulture,
                $"--engine postgres: cannot connect to PostgreSQL at {settings.Host}:{settings.Port}, database {settings.Database ?? "(default)"} ({Reason(ex)}). Nothing was published; check the server, the network and the connection string in {engine.ConnectionVariable}."), ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static T Run<T>(NpgsqlConnection connection, string sql, string name, CancellationToken ct, Func<NpgsqlDataReader, T> read, CommandBehavior behavior = CommandBehavior.Default)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        using var cancel = ct.Register(command.Cancel);
        try
        {
            using var reader = command.ExecuteReader(behavior);
            return read(reader);
        }
        catch (PostgresException ex)
        {
            ct.ThrowIfCancellationRequested();
            throw new InputException($"{name}: PostgreSQL cannot run the reduction: {Reason(ex)}. Nothing was published.", ex);
        }
        catch (NpgsqlException ex)
        {
            ct.ThrowIfCancellationRequested();
            throw new SourceUnreachableException($"{name}: the connection to PostgreSQL was lost ({Reason(ex)}). Nothing was published.", ex);
        }
    }

    /// <summary>
    /// The server's reason, without values: a data exception (SQLSTATE class 22, such as a number beyond a double's
    /// range) quotes the offending cell, so only its code is given.
    /// </summary>
    private static string Reason(Exception ex) => ex switch
    {
        PostgresException pg when pg.SqlState.StartsWith("22", StringComparison.Ordinal) => $"SQLSTATE {pg.SqlState}, a value the SQL cannot convert, such as a number beyond a double's range",
        PostgresException pg => $"SQLSTATE {pg.SqlState}: {pg.MessageText}",
        { InnerException: { } inner } => inner.Message,
        _ => ex.Message,
    };

    /// <summary>A PostgreSQL column type as a source kind; null for types no transaction field can use.</summary>
    private static SourceKind? KindOf(NpgsqlDbType? type) => type switch
    {
        NpgsqlDbType.Text or NpgsqlDbType.Varchar or NpgsqlDbType.Char or NpgsqlDbType.Citext or NpgsqlDbType.Name => SourceKind.Text,
        NpgsqlDbType.Smallint or NpgsqlDbType.Integer or NpgsqlDbType.Bigint => SourceKind.Integer,
        NpgsqlDbType.Real or NpgsqlDbType.Double => SourceKind.Float,
        NpgsqlDbType.Numeric => SourceKind.Decimal,
        NpgsqlDbType.Date => SourceKind.Date,
        NpgsqlDbType.Timestamp or NpgsqlDbType.TimestampTz => SourceKind.Timestamp,
        _ => null,
    };
}
