using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Stages.Models;

/// <summary>One output folder of <c>crm score --models DIR --shard i/n</c>, as <c>crm merge</c> reads it.</summary>
/// <param name="Folder">The folder as given on the command line (messages name it so).</param>
/// <param name="Summary">Its summary.json.</param>
/// <param name="Outputs">The files it published (summary.json's <c>outputs</c>).</param>
internal sealed record MergeShard(string Folder, JsonObject Summary, ShardSpec Shard, IReadOnlyList<string> Outputs)
{
    public string PathOf(string relative) => Path.Combine(Folder, relative);

    public bool Has(string relative) => Outputs.Contains(relative, StringComparer.Ordinal);

    /// <exception cref="InputException">The folder is not the output of a shard run (exit 3).</exception>
    public static MergeShard Load(string folder)
    {
        var summaryPath = Path.Combine(folder, OutputFileNames.Summary);
        if (!Directory.Exists(folder))
        {
            throw new InputException($"{folder}: no such folder.");
        }

        if (!File.Exists(summaryPath))
        {
            throw new InputException($"{folder}: not a crm output (no {OutputFileNames.Summary}); give the --out folders of 'crm score --models DIR --shard i/n'.");
        }

        JsonObject summary;
        try
        {
            summary = JsonNode.Parse(File.ReadAllBytes(summaryPath)) as JsonObject ?? throw new JsonException("the file holds no JSON object");
        }
        catch (JsonException ex)
        {
            throw new InputException($"{summaryPath}: not a crm summary.json ({ex.Message}).", ex);
        }

        if (Text(summary["parameters"]?["shard"]) is not { } shardText)
        {
            throw new InputException($"{folder}: a crm output, but not of a shard run (summary.json has no parameters.shard); merge the outputs of 'crm score --models DIR --shard i/n'.");
        }

        var errors = new List<string>();
        var shard = ShardSpec.Parse(shardText, errors) ?? throw new InputException($"{summaryPath}: parameters.shard: {string.Join(" ", errors)}");
        var outputs = (summary["outputs"] as JsonArray)?.Select(Text).OfType<string>().ToArray() ?? [];
        return new MergeShard(folder, summary, shard, outputs);
    }

    /// <summary>A JSON string's value; null for null, a missing node or another kind.</summary>
    internal static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>The checks <c>crm merge</c> makes before it reads any table: one complete set of shards of one bundle run.</summary>
internal static class MergeShards
{
    /// <summary>The shards ordered by index, once every check passes.</summary>
    /// <exception cref="InputException">Every problem found, listed together (exit 3): shards from different crm
    /// versions, bundles or as-of dates, with other files, of different inputs that are not partitioned by the shard
    /// key, or a set with a shard twice or one missing.</exception>
    public static IReadOnlyList<MergeShard> Check(IReadOnlyList<MergeShard> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var errors = new List<string>();
        var first = shards[0];
        foreach (var shard in shards)
        {
            if (MergeShard.Text(shard.Summary["tool_version"]) is var version && version != ToolInfo.Version)
            {
                errors.Add($"{shard.Folder} was written by crm {version ?? "(unknown)"}, and this is crm {ToolInfo.Version}: score every shard and merge with the same crm version.");
            }

            Same(shard, "model bundle (parameters.models_sha256, the sha256 of bundle.json)", s => MergeShard.Text(s.Summary["parameters"]?["models_sha256"]),
                "score every shard with the same 'crm fit' bundle");
            Same(shard, "as-of date", s => MergeShard.Text(s.Summary["as_of"]), "score every shard with the same --as-of");
            if (InputHash(shard) is null)
            {
                errors.Add($"{shard.Folder}: summary.json records no transaction input (inputs[0].sha256); merge the outputs of 'crm score --models DIR --shard i/n'.");
            }

            if (shard.Shard.Count != first.Shard.Count)
            {
                errors.Add($"{shard.Folder} is shard {shard.Shard} and {first.Folder} is shard {first.Shard}: every shard of one run has the same n.");
            }

            var extra = shard.Outputs.Except(first.Outputs, StringComparer.Ordinal).Concat(first.Outputs.Except(shard.Outputs, StringComparer.Ordinal))
                .Where(f => f != OutputFileNames.Changes).Order(StringComparer.Ordinal).ToArray();
            if (extra.Length > 0)
            {
                errors.Add($"{shard.Folder} and {first.Folder} published different files ({string.Join(", ", extra)}): score every shard with the same options.");
            }
        }

        if (!SameInput(shards))
        {
            OwnInputs(shards, errors);
        }

        foreach (var twice in shards.GroupBy(s => s.Shard.Index).Where(g => g.Count() > 1))
        {
            errors.Add($"shard {twice.First().Shard} is given twice ({string.Join(", ", twice.Select(s => s.Folder))}): the shards overlap.");
        }

        var missing = Enumerable.Range(0, first.Shard.Count).Except(shards.Select(s => s.Shard.Index)).ToArray();
        if (missing.Length > 0 && shards.All(s => s.Shard.Count == first.Shard.Count))
        {
            errors.Add($"shard(s) {string.Join(", ", missing.Select(i => new ShardSpec(i, first.Shard.Count)))} missing: give all {first.Shard.Count} shard folders.");
        }

        if (errors.Count > 0)
        {
            throw new InputException("Cannot merge these shard folders:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Distinct()));
        }

        return [.. shards.OrderBy(s => s.Shard.Index)];

        void Same(MergeShard shard, string what, Func<MergeShard, string?> value, string advice)
        {
            var mine = value(shard);
            var theirs = value(first);
            if (mine is null)
            {
                errors.Add($"{shard.Folder}: summary.json records no {what}; {advice}.");
            }
            else if (theirs is not null && mine != theirs)
            {
                errors.Add($"{shard.Folder} and {first.Folder} differ in their {what}: {mine} and {theirs}; {advice}.");
            }
        }
    }

    /// <summary>
    /// Whether every shard read the same transaction input (the same sha256): the whole export, whose row accounting
    /// every shard records. Otherwise each shard read its own input, pre-partitioned by the shard key.
    /// </summary>
    public static bool SameInput(IReadOnlyList<MergeShard> shards) =>
        shards.Select(InputHash).Distinct(StringComparer.Ordinal).Count() == 1;

    private static string? InputHash(MergeShard shard) => MergeShard.Text(shard.Summary["inputs"]?[0]?["sha256"]);

    /// <summary>
    /// Shards that each read their own input merge only when every input held that shard's customers alone
    /// (<c>customers.outside_shard</c> = 0) and no input is given to two shards; their row accounting then adds up.
    /// </summary>
    private static void OwnInputs(IReadOnlyList<MergeShard> shards, List<string> errors)
    {
        const string Advice = "score every shard on the same export, or each on its own input partitioned by the shard key (crm sql --shard i/n)";
        foreach (var shard in shards)
        {
            var input = MergeShard.Text(shard.Summary["inputs"]?[0]?["path"]) ?? "its input";
            var outside = shard.Summary["customers"]?["outside_shard"] is JsonValue value && value.TryGetValue<long>(out var count) ? count : (long?)null;
            if (outside is null)
            {
                errors.Add($"{shard.Folder}: the shards read different inputs, and summary.json records no customers.outside_shard; {Advice}.");
            }
            else if (outside > 0)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{shard.Folder}: {outside} customer(s) of {input} hash to other shards than {shard.Shard} (customers.outside_shard), and the shards read different inputs: a wrongly partitioned input; {Advice}."));
            }
        }

        foreach (var same in shards.Where(s => s.Summary["inputs"]?[0]?["rows_read"] is JsonValue rows && rows.TryGetValue<long>(out var read) && read > 0)
            .GroupBy(InputHash, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{string.Join(", ", same.Select(s => s.Folder))} read the same input, and the other shards read others: its rows would count twice; {Advice}.");
        }
    }
}
