using System.Text.RegularExpressions;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Output;

/// <summary>
/// The rule for segment slugs, the only text segment file names are built from: lowercase ASCII letters and digits in
/// groups joined by single hyphens (<c>^[a-z0-9]+(-[a-z0-9]+)*$</c>), at most <see cref="MaxLength"/> characters.
/// So a slug can never hold a path separator, "..", a space, an uppercase letter or a reserved device name suffix.
/// </summary>
public static partial class SegmentSlug
{
    /// <summary>Keeps <c>&lt;slug&gt;.csv</c> far below the 255-byte file name limit of common file systems.</summary>
    public const int MaxLength = 100;

    public static bool IsValid(string? slug) =>
        slug is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(slug);

    /// <summary>Throws a <see cref="ConfigurationException"/> (segment rules come from configuration) unless <paramref name="slug"/> is valid.</summary>
    public static void Validate(string? slug)
    {
        if (!IsValid(slug))
        {
            throw new ConfigurationException(
                $"Segment slug '{slug}' is not valid: use lowercase letters and digits in groups joined by single hyphens " +
                $"(^[a-z0-9]+(-[a-z0-9]+)*$), at most {MaxLength} characters, e.g. 'cant-lose-them'.");
        }
    }

    // \z, not $: $ would also match before a trailing "\n".
    [GeneratedRegex(@"^[a-z0-9]+(?:-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
