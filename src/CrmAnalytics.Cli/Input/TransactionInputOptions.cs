using System.CommandLine;
using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Stages.Input;

namespace CrmAnalytics.Cli.Input;

/// <summary>The options that say how to read a transaction export, shared by <c>score</c> and <c>validate</c>.</summary>
internal sealed class TransactionInputOptions
{
    public Argument<FileInfo> Transactions { get; } = new("transactions")
    {
        Description = "The transaction export: .csv, .csv.gz, .parquet, or whitespace-separated .txt.",
    };

    public Option<string> Preset { get; } = new("--preset")
    {
        Description = "Named read settings: " + string.Join(", ", TransactionPresets.All.Keys) + ".",
        DefaultValueFactory = _ => "generic",
    };

    public Option<string?> Map { get; } = new("--map")
    {
        Description = "Column mapping overrides, e.g. customer_id=CustomerID,date=InvoiceDate,amount=Total or quantity=Qty,unit_price=Price. Alternatives with '|'.",
    };

    public Option<TransactionFormat?> InputFormat { get; } = new("--input-format")
    {
        Description = "Input format (auto from the extension when omitted): Csv, Parquet, Whitespace.",
    };

    public Option<bool> NoHeader { get; } = new("--no-header")
    {
        Description = "The file has no header row; --map then takes 1-based column numbers.",
    };

    public Option<string?> Separator { get; } = new("--separator")
    {
        Description = "CSV field separator (default ','; 'tab' for a tab).",
    };

    public Option<string?> DateFormat { get; } = new("--date-format")
    {
        Description = "Exact .NET date format such as yyyyMMdd or dd/MM/yyyy HH:mm (default ISO 8601 yyyy-MM-dd[ time]).",
    };

    public Option<string?> DecimalSeparator { get; } = new("--decimal-separator")
    {
        Description = "Decimal separator of numbers: '.' (default) or ','.",
    };

    public Option<string?> ThousandsSeparator { get; } = new("--thousands-separator")
    {
        Description = "Digit-group separator numbers carry: ',', '.', 'space' or \"'\" (default: none).",
    };

    public Option<string?> Encoding { get; } = new("--encoding")
    {
        Description = "Text encoding (default utf-8; latin1, windows-1252, ...). A byte order mark wins.",
    };

    public Option<string?> CancelPrefix { get; } = new("--cancel-prefix")
    {
        Description = "Order ids starting with this text are cancellations (needs order_id mapped).",
    };

    public Option<ZeroAmountPolicy?> ZeroAmount { get; } = new("--zero-amount")
    {
        Description = "Zero-amount rows: Reject (as zero_amount, excluded by design) or Purchase (an occasion worth 0).",
    };

    public Option<string?> AsOf { get; } = new("--as-of")
    {
        Description = "As-of date yyyy-MM-dd: the exclusive end of the observation window. Default: the day after the last accepted transaction.",
    };

    public Option<double> MaxRejectRate { get; } = new("--max-reject-rate")
    {
        Description = "Fail (exit 4, no outputs) when malformed rows exceed this share of rows read.",
        DefaultValueFactory = _ => 0.05,
    };

    public Option<double> MaxExcludedRate { get; } = new("--max-excluded-rate")
    {
        Description = "Fail (exit 4, no outputs) when rows excluded by design (no customer id, zero amount) exceed this share of rows read; above half, a warning.",
        DefaultValueFactory = _ => 0.9,
    };

    public Option<string?> EarliestDate { get; } = new("--earliest-date")
    {
        Description = "Rows dated before this (yyyy-MM-dd) are implausible_date rejects (malformed). Default: 1970-01-01.",
    };

    public Option<int> FutureDays { get; } = new("--future-days")
    {
        Description = "Rows dated more than this many days after the run date (or after --as-of, when later) are implausible_date rejects (malformed).",
        DefaultValueFactory = _ => DefaultFutureDays,
    };

    /// <summary>The default of <c>--future-days</c>: a week absorbs time zones and exports stamped a few days ahead.</summary>
    public const int DefaultFutureDays = 7;

    /// <summary>The largest <c>--future-days</c>: ten years.</summary>
    public const int MaxFutureDays = 3653;

    /// <summary>The latest <c>--as-of</c>: later dates leave no room for the horizons the models add to it.</summary>
    public static DateOnly LatestAsOf { get; } = new(9000, 12, 31);

    public void AddTo(Command command)
    {
        command.Arguments.Add(Transactions);
        foreach (var option in new Option[] { Preset, Map, InputFormat, NoHeader, Separator, DateFormat, DecimalSeparator, ThousandsSeparator, Encoding, CancelPrefix, ZeroAmount, AsOf, MaxRejectRate, MaxExcludedRate, EarliestDate, FutureDays })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The read options after the preset and every override; all problems reported together.</summary>
    /// <param name="clock">The run date comes from it: rows far after it are implausible.</param>
    public TransactionReadOptions Build(ParseResult parse, TimeProvider clock)
    {
        var errors = new List<string>();
        var options = Build(parse, clock, errors);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return options;
    }

    /// <summary>The read options; every problem is added to <paramref name="errors"/> (<c>crm run --check</c> lists them all).</summary>
    public TransactionReadOptions Build(ParseResult parse, TimeProvider clock, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var options = TransactionPresets.Get(parse.GetValue(Preset) ?? "generic");
        if (parse.GetValue(Map) is { } map)
        {
            options = options with { Mapping = options.Mapping.With(map) };
        }

        if (parse.GetValue(InputFormat) is { } format) options = options with { Format = format };
        if (parse.GetValue(NoHeader)) options = options with { HasHeader = false };
        if (parse.GetValue(Separator) is { } sep)
        {
            if (SeparatorOption.Parse(sep, "--separator", errors) is { } c) options = options with { Separator = c };
        }

        if (parse.GetValue(DateFormat) is { } df) options = options with { DateFormat = df };
        if (parse.GetValue(DecimalSeparator) is { } ds)
        {
            if (ds.Length != 1) errors.Add("--decimal-separator must be '.' or ','.");
            else options = options with { DecimalSeparator = ds[0] };
        }

        if (parse.GetValue(ThousandsSeparator) is { } ts)
        {
            var group = ts == "space" ? " " : ts;
            if (group.Length != 1) errors.Add("--thousands-separator must be ',', '.', 'space' or \"'\".");
            else options = options with { ThousandsSeparator = group[0] };
        }

        if (parse.GetValue(Encoding) is { } enc) options = options with { Encoding = enc };
        if (parse.GetValue(CancelPrefix) is { } cp) options = options with { CancelledOrderPrefix = cp };
        if (parse.GetValue(ZeroAmount) is { } za) options = options with { ZeroAmount = za };
        if (parse.GetValue(AsOf) is { } asOf)
        {
            if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) errors.Add($"--as-of '{asOf}' is not a date in yyyy-MM-dd form.");
            else if (d > LatestAsOf) errors.Add($"--as-of {d:yyyy-MM-dd} is after {LatestAsOf:yyyy-MM-dd}, the latest as-of date: later dates leave no room for the model horizons.");
            else options = options with { AsOf = d };
        }

        if (parse.GetValue(EarliestDate) is { } earliest)
        {
            if (DateOnly.TryParseExact(earliest, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) options = options with { EarliestDate = d };
            else errors.Add($"--earliest-date '{earliest}' is not a date in yyyy-MM-dd form.");
        }

        var futureDays = parse.GetValue(FutureDays);
        if (futureDays is < 0 or > MaxFutureDays) errors.Add($"--future-days must be between 0 and {MaxFutureDays}.");
        else options = options with { LatestDate = LatestPlausibleDate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), options.AsOf, futureDays) };

        CheckRate(parse.GetValue(MaxRejectRate), "--max-reject-rate", errors);
        CheckRate(parse.GetValue(MaxExcludedRate), "--max-excluded-rate", errors);
        errors.AddRange(options.Validate());
        return options;
    }

    /// <summary><see cref="TransactionIngest.Check"/> with this command's reject and exclusion limits; returns the as-of date.</summary>
    public DateOnly Check(ParseResult parse, TransactionReadResult result, TransactionReadOptions options, Stages.Logging.RunLog log) =>
        TransactionIngest.Check(result, options, parse.GetValue(MaxRejectRate), parse.GetValue(MaxExcludedRate), log);

    /// <summary>The later of the run date and the as-of date, plus <paramref name="futureDays"/>; never past the calendar.</summary>
    internal static DateOnly LatestPlausibleDate(DateOnly today, DateOnly? asOf, int futureDays)
    {
        var from = asOf is { } a && a > today ? a : today;
        return DateOnly.FromDayNumber((int)Math.Min((long)from.DayNumber + futureDays, DateOnly.MaxValue.DayNumber - 1));
    }

    private static void CheckRate(double rate, string name, List<string> errors)
    {
        if (!(rate >= 0 && rate <= 1)) errors.Add($"{name} must be between 0 and 1.");
    }
}
