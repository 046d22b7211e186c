namespace CrmAnalytics.Cli.Input;

/// <summary>The value of a separator option (<c>--separator</c>, and the survey inputs' <c>--…separator</c>).</summary>
internal static class SeparatorOption
{
    /// <summary>Parses a separator option value: one character, or 'tab'; null (with an error) otherwise.</summary>
    public static char? Parse(string value, string optionName, List<string> errors)
    {
        var c = value.Equals("tab", StringComparison.OrdinalIgnoreCase) || value == "\\t" ? '\t' : value.Length == 1 ? value[0] : '\0';
        if (c != '\0')
        {
            return c;
        }

        errors.Add($"{optionName} must be one character or 'tab'.");
        return null;
    }
}
