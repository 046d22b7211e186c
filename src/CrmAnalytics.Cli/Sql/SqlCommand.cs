using System.CommandLine;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Engines;

namespace CrmAnalytics.Cli.Sql;

/// <summary><c>crm sql</c>: prints the reduction as SQL for a warehouse, for a mapping and an as-of date.</summary>
internal static class SqlCommand
{
    public static Command Create(CliContext context)
    {
        var input = new TransactionInputOptions();
        var dialect = new Option<string>("--dialect")
        {
            Description = "The SQL dialect: duckdb, postgres, spark, bigquery or snowflake.",
            Required = true,
        };
        var table = new Option<string>("--source-table")
        {
            Description = "The table or view holding the transaction lines, as the warehouse names it; its columns carry the mapping's names.",
            DefaultValueFactory = _ => "transactions",
        };
        var shard = new Option<string?>("--shard")
        {
            Description = "i/n (0 ≤ i < n): keep only the customer-days of the customers whose key (the first 15 hex digits of MD5 of the id) mod n is i, as 'crm score --shard i/n' selects them; shard 0 also keeps every reject row.",
        };
        var command = new Command("sql", "Print the SQL that reduces transaction lines to the occasions table in a warehouse; run it there, save the result as Parquet and score it with 'crm score --from-occasions'.");
        input.AddTo(command);
        command.Arguments.Remove(input.Transactions);
        command.Options.Add(dialect);
        command.Options.Add(table);
        command.Options.Add(shard);
        command.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            var errors = new List<string>();
            if (parse.GetValue(input.NoHeader))
            {
                throw new ConfigurationException("crm sql reads a table whose columns have names; map them by name, not by number (--no-header).");
            }

            var options = input.Build(parse, context.Clock, errors);
            SqlDialectName? name = parse.GetValue(dialect)?.ToLowerInvariant() switch
            {
                "duckdb" => SqlDialectName.DuckDb,
                "postgres" or "postgresql" => SqlDialectName.Postgres,
                "spark" or "databricks" => SqlDialectName.Spark,
                "bigquery" => SqlDialectName.BigQuery,
                "snowflake" => SqlDialectName.Snowflake,
                _ => null,
            };
            if (name is null)
            {
                errors.Add($"--dialect '{parse.GetValue(dialect)}' is unknown; use duckdb, postgres, spark, bigquery or snowflake.");
            }

            var shardSpec = parse.GetValue(shard) is { } shardText ? Stages.Models.ShardSpec.Parse(shardText, errors) : null;
            if (errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            context.Output.Write(PushdownSql.Generate(name!.Value, parse.GetValue(table)!, options, shardSpec is null ? null : (shardSpec.Index, shardSpec.Count)));
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
