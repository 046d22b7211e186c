namespace CrmAnalytics.IO.Input;

/// <summary>Checks of the text-format options every delimited input shares (transactions, surveys).</summary>
internal static class TextOptionChecks
{
    public static void Validate(char separator, string? dateFormat, string encoding, List<string> errors)
    {
        if (separator is '\r' or '\n' or '"' || separator > 127)
        {
            errors.Add("The separator must be an ASCII character other than a quote or line break.");
        }

        if (dateFormat is not null)
        {
            try
            {
                _ = new DateTime(2001, 2, 3).ToString(dateFormat, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                errors.Add($"Date format '{dateFormat}' is not a valid .NET date format.");
            }
        }

        if (TransactionReadOptions.TryGetEncoding(encoding) is null)
        {
            errors.Add($"Encoding '{encoding}' is unknown (try utf-8, latin1, windows-1252).");
        }
    }
}
