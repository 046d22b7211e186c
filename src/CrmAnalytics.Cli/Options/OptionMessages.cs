using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace CrmAnalytics.Cli.Options;

/// <summary>Option errors in the user's words: option names and kinds of value, never .NET type or property names.</summary>
internal static partial class OptionMessages
{
    /// <summary>A parse error, with System.CommandLine's type names replaced by the kind of value the option takes.</summary>
    public static string Describe(ParseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var match = ConversionError().Match(error.Message);
        if (!match.Success)
        {
            return error.Message;
        }

        var type = (error.SymbolResult as OptionResult)?.Option.ValueType ?? (error.SymbolResult as ArgumentResult)?.Argument.ValueType;
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not {Kind(type)}.";
    }

    /// <summary>What a value of <paramref name="type"/> is, for a person: "a whole number", "one of Reject, Purchase".</summary>
    internal static string Kind(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "a valid value",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) => "a number (with '.' as the decimal point)",
            _ when type == typeof(bool) => "true or false",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ => "a valid value",
        };
    }

    /// <summary>
    /// Library validation messages start with the options record's property name (<c>TopShare must be …</c>);
    /// <paramref name="optionNames"/> maps each to its command-line option (<c>--top-share must be …</c>).
    /// </summary>
    public static IEnumerable<string> WithOptionNames(IEnumerable<string> errors, IReadOnlyDictionary<string, string> optionNames) =>
        errors.Select(e =>
        {
            var space = e.IndexOf(' ', StringComparison.Ordinal);
            return space > 0 && optionNames.TryGetValue(e[..space], out var option) ? option + e[space..] : e;
        });

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument) '(?<option>.*)' as expected type '[^']*'\.(\s.*)?$", RegexOptions.Singleline)]
    private static partial Regex ConversionError();
}
